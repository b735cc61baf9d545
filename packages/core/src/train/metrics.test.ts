import { tf } from '../index';
import * as M from './metrics';

// Expected values are scikit-learn's (the examples of its documentation, or worked by hand here).
describe('metrics', () => {
  it('accuracy from labels, scores, thresholds and one-hot targets', () => {
    expect(M.accuracy([0, 2, 1, 3], [0, 1, 2, 3])).toBe(0.5);
    const logits = tf.tensor2d([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 0]]);
    expect(M.accuracy(logits, tf.tensor1d([0, 1, 1, 0], 'int32'))).toBe(0.75);
    expect(M.accuracy(logits, [[1, 0, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0]])).toBe(0.75);
    expect(M.accuracy([0.2, 0.7, 0.6, 0.1], [0, 1, 0, 0])).toBe(0.75);
    expect(M.accuracy([-1, 2, -3, 1], [0, 1, 0, 0], { threshold: 0 })).toBe(0.75);
    expect(() => M.accuracy([1, 0], [1, 0, 1])).toThrow(/2 predictions but 3 targets/);
    logits.dispose();
  });

  it('topKAccuracy (sklearn example: 0.75 at k=2)', () => {
    const scores = [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]];
    expect(M.topKAccuracy(scores, [0, 1, 2, 2], 2)).toBe(0.75);
    expect(M.topKAccuracy(scores, [0, 1, 2, 2], 1)).toBe(0.5);
    expect(M.topKAccuracy(scores, [0, 1, 2, 2], 3)).toBe(1);
  });

  it('precision, recall, F1: macro, micro, binary (sklearn docs example)', () => {
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yPred = [0, 2, 1, 0, 0, 1];
    expect(M.precision(yPred, yTrue, { average: 'macro' })).toBeCloseTo(2 / 9, 12);
    expect(M.precision(yPred, yTrue, { average: 'micro' })).toBeCloseTo(1 / 3, 12);
    expect(M.recall(yPred, yTrue, { average: 'macro' })).toBeCloseTo(1 / 3, 12);
    expect(M.f1(yPred, yTrue, { average: 'macro' })).toBeCloseTo(0.26666666666666666, 12);
    expect(M.f1(yPred, yTrue, { average: 'micro' })).toBeCloseTo(1 / 3, 12);
    expect(M.f1(yPred, yTrue)).toBeCloseTo(0.26666666666666666, 12); // default for multi-class: macro
    // macro over 4 classes (class 3 absent: its scores are 0 under zero_division=0)
    expect(M.recall(yPred, yTrue, { average: 'macro', numClasses: 4 })).toBeCloseTo(0.25, 12);
    const bTrue = [0, 1, 1, 0, 1, 1];
    const bPred = [0, 1, 0, 0, 1, 1];
    expect(M.precision(bPred, bTrue)).toBe(1);
    expect(M.recall(bPred, bTrue)).toBe(0.75);
    expect(M.f1(bPred, bTrue)).toBeCloseTo(6 / 7, 12);
    expect(M.f1(bPred, bTrue, { posLabel: 0 })).toBeCloseTo(0.8, 12); // tp 2, fp 1, fn 0
    expect(M.precision([0, 0], [1, 0])).toBe(0); // no positive prediction: zero_division=0
    expect(() => M.f1(yPred, yTrue, { average: 'binary' })).toThrow(/'binary' needs labels 0\/1, got 3 classes/);
    expect(M.confusionMatrix(yPred, yTrue)).toEqual([[2, 0, 0], [1, 0, 1], [0, 2, 0]]);
  });

  it('rocAuc with and without ties', () => {
    expect(M.rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(M.rocAuc([0.5, 0.5, 0.2, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
    expect(M.rocAuc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(M.rocAuc([[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8]], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(() => M.rocAuc([0.1, 0.2], [1, 1])).toThrow(/only one class present/);
  });

  it('mse and mae (sklearn examples)', () => {
    const t = tf.tensor1d([3, -0.5, 2, 7]);
    const p = tf.tensor1d([2.5, 0.0, 2, 8]);
    expect(M.mse(p, t)).toBeCloseTo(0.375, 6);
    expect(M.mae(p, t)).toBeCloseTo(0.5, 6);
    expect(M.mse([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]])).toBeCloseTo(0.7083333333333334, 12);
    tf.dispose([t, p]);
  });

  it('streaming accumulators equal the one-shot value and reset', () => {
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yPred = [0, 2, 1, 0, 0, 1];
    const f = M.createMetric('f1Macro');
    f.update(yPred.slice(0, 4), yTrue.slice(0, 4));
    f.update(yPred.slice(4), yTrue.slice(4));
    expect(f.name).toBe('f1Macro');
    expect(f.compute()).toBeCloseTo(0.26666666666666666, 12);
    f.reset();
    expect(f.compute()).toBeNaN();
    const auc = M.createMetric('rocAuc');
    auc.update([0.1, 0.4], [0, 0]);
    auc.update([0.35, 0.8], [1, 1]);
    expect(auc.compute()).toBeCloseTo(0.75, 12);
    const top = M.createMetric('top2Accuracy');
    expect(top.name).toBe('top2Accuracy');
    const mean = new M.Mean();
    mean.add(2, 3);
    mean.add(4, 1);
    expect(mean.compute()).toBe(2.5);
    expect(() => M.createMetric('auroc')).toThrow(/unknown metric 'auroc'; known: accuracy/);
  });
});
