import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import {
  ChildSumTreeLstm,
  NaryTreeLstm,
  RecursiveNN,
  TREE_LSTM_LISTOPS_RECIPE,
  Tree,
  batchTrees,
  parsePrefixTree,
  recursiveNN,
  treeLstmChildSum,
  treeLstmNary,
  treeSize,
} from './index';

const VOCAB = ['<pad>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '[MAX', '[MIN', '[MED', '[SM', ']'];
const expr = (s: string): Tree => parsePrefixTree(s.split(' '), VOCAB);
const SMALL = { vocabSize: 16, embeddingDim: 5, hiddenSize: 4, numClasses: 10 };

describe('tree batching', () => {
  it('parses prefix expressions and groups nodes by height', () => {
    const t = expr('[MAX 2 [MIN 4 7 ] 0 ]');
    expect(t).toEqual({ token: 11, children: [{ token: 3 }, { token: 12, children: [{ token: 5 }, { token: 8 }] }, { token: 1 }] });
    expect(treeSize(t)).toBe(6);
    const b = batchTrees([t, expr('[SM 1 2 ]')]);
    expect(b.maxChildren).toBe(3);
    expect(b.numNodes).toBe(9);
    // Level 0: leaves 2 4 7 0 | 1 2 (post-order per tree); level 1: MIN, SM; level 2: MAX.
    expect(b.levels.map((l) => Array.from(l.tokens))).toEqual([[3, 5, 8, 1, 2, 3], [12, 14], [11]]);
    expect(Array.from(b.levels[1].children)).toEqual([2, 3, 0, 5, 6, 0]);
    expect(Array.from(b.levels[2].children)).toEqual([1, 7, 4]);
    expect(Array.from(b.roots)).toEqual([9, 8]);
    expect(Array.from(batchTrees([{ token: 4 }]).roots)).toEqual([1]);
  });

  it('rejects malformed expressions, wide nodes and empty batches', () => {
    expect(() => expr('[MAX 2 3')).toThrow('parsePrefixTree: [MAX is never closed');
    expect(() => expr('[MAX 2 ] 3')).toThrow('parsePrefixTree: 1 tokens left after the expression');
    expect(() => expr('[MAX 2 x ]')).toThrow('parsePrefixTree: token "x" is not in the vocabulary');
    expect(() => batchTrees([expr('[MAX 1 2 3 ]')], { maxChildren: 2 })).toThrow('batchTrees: a node has 3 children, over maxChildren 2');
    expect(() => batchTrees([])).toThrow('batchTrees: need at least one tree');
  });
});

describe('tree models', () => {
  const trees = [expr('[MAX 2 [MIN 4 7 ] 0 ]'), expr('[SM 1 2 ]'), expr('5')];
  const models: [string, () => RecursiveNN | ChildSumTreeLstm | NaryTreeLstm][] = [
    ['RecursiveNN', () => recursiveNN({ ...SMALL, arity: 3 })],
    ['ChildSumTreeLstm', () => treeLstmChildSum(SMALL)],
    ['NaryTreeLstm', () => treeLstmNary({ ...SMALL, arity: 3 })],
  ];

  for (const [name, make] of models) {
    it(`${name}: batched logits equal one-tree-at-a-time logits; no leak; finite gradients`, () => {
      manualSeed(0);
      const m = make();
      const all = m.forward(trees);
      expect(all.shape).toEqual([3, 10]);
      trees.forEach((t, i) => {
        const one = m.forward([t]);
        const row = all.slice([i, 0], [1, 10]);
        expectClose(row, one, { rtol: 1e-5, atol: 1e-6, what: `${name} tree ${i}` });
        tf.dispose([one, row]);
      });
      const y = tf.tensor1d([7, 3, 5], 'int32');
      expectNoLeak(() => tf.tidy(() => m.forward(trees).dataSync()));
      m.zeroGrad();
      expectNoLeak(() => backward(() => F.crossEntropy(m.forward(trees), y), m), m.parameters().length);
      for (const [k, p] of m.namedParameters()) expect([k, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([k, true]);
      // Children matter: the same root token over different leaves gives different logits.
      const [a, b] = [m.forward([expr('[MAX 1 2 ]')]), m.forward([expr('[MAX 8 9 ]')])];
      expect(Math.abs(a.dataSync()[0] - b.dataSync()[0])).toBeGreaterThan(1e-6);
      tf.dispose([all, y, a, b]);
      m.dispose();
    });
  }

  it('child-sum Tree-LSTM matches a hand computation on a two-leaf tree (hidden 1)', () => {
    const m = treeLstmChildSum({ vocabSize: 3, embeddingDim: 1, hiddenSize: 1, numClasses: 1 });
    // x(token 1) = 1, x(token 2) = 2; W = [wi, wo, wu, wf] = [1, 1, 1, 1], b = 0; U_iou = [0.5, 0.5, 0.5], U_f = [1].
    m.loadStateDict({
      'embedding.weight': tf.tensor2d([[0], [1], [2]]),
      'wx.weight': tf.tensor2d([[1], [1], [1], [1]]),
      'wx.bias': tf.zeros([4]),
      'u_iou.weight': tf.tensor2d([[0.5], [0.5], [0.5]]),
      'u_f.weight': tf.tensor2d([[1]]),
      'fc.weight': tf.tensor2d([[1]]),
      'fc.bias': tf.zeros([1]),
    });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const leaf = (x: number) => {
      const c = sig(x) * Math.tanh(x);
      return { c, h: sig(x) * Math.tanh(c) };
    };
    const [l1, l2] = [leaf(1), leaf(2)];
    const hs = l1.h + l2.h;
    const x = 1; // root token 1
    const c = sig(x + 0.5 * hs) * Math.tanh(x + 0.5 * hs) + sig(x + l1.h) * l1.c + sig(x + l2.h) * l2.c;
    const h = sig(x + 0.5 * hs) * Math.tanh(c);
    const out = m.forward([{ token: 1, children: [{ token: 1 }, { token: 2 }] }]);
    expect(out.dataSync()[0]).toBeCloseTo(h, 5);
    out.dispose();
    m.dispose();
  });

  it('N-ary models check arity; registered as recursive_nn, tree_lstm_child_sum, tree_lstm_nary', () => {
    const m = treeLstmNary({ ...SMALL, arity: 2 });
    expect(() => m.forward([expr('[MAX 1 2 3 ]')])).toThrow('batchTrees: a node has 3 children, over maxChildren 2');
    const wide = batchTrees([expr('[MAX 1 2 ]')], { maxChildren: 3 });
    expect(() => m.forward(wide)).toThrow('NaryTreeLstm: the batch has 3 child slots but arity is 2; batch with maxChildren 2');
    m.dispose();
    for (const n of ['recursive_nn', 'tree_lstm_child_sum', 'tree_lstm_nary']) {
      const e = registry.get(n);
      expect([n, e.task, e.domain]).toEqual([n, 'tree-classification', 'nlp']);
      const made = registry.create<RecursiveNN>(n);
      const y = made.forward([expr('[MED 1 2 3 4 ]')]);
      expect(y.shape).toEqual([1, 10]);
      y.dispose();
      made.dispose();
    }
    expect(registry.get('tree_lstm_child_sum').recipe).toBe(TREE_LSTM_LISTOPS_RECIPE);
  });
});
