import { tf, F, data, manualSeed, nn, optim, train } from '../index';
import { expectClose } from '../testing/index';
import { SoloCollective, dataParallel, finishGradient, lossName, lossWeight, reduceInto, shardRange, shardSizes, stateChecksum } from './index';

describe('parallel: shards and weights', () => {
  it('splits a batch like torch.tensor_split and weights shards by their share', () => {
    expect(shardSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shardSizes(3, 4)).toEqual([1, 1, 1, 0]);
    expect(shardRange(10, 4, 2)).toEqual([6, 8]);
    expect(shardSizes(10, 4).map((n) => lossWeight(n, 10)).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(lossWeight(3, 12, 2)).toBe(0.125);
    expect(() => shardRange(10, 4, 4)).toThrow('shardRange: rank 4 is out of range for world size 4');
    expect(() => shardSizes(10, 0)).toThrow('shardSizes: worldSize must be a positive integer, got 0');
  });

  it('reduces in rank order (sum, mean, max, min) and averages/clips a flat gradient', () => {
    const a = new Float32Array([1, -2, 3]);
    const b = new Float32Array([4, 5, -6]);
    const out = new Float32Array(3);
    reduceInto(out, [a, b], 'sum');
    expect(Array.from(out)).toEqual([5, 3, -3]);
    reduceInto(out, [a, b], 'mean');
    expect(Array.from(out)).toEqual([2.5, 1.5, -1.5]);
    reduceInto(out, [a, b], 'max');
    expect(Array.from(out)).toEqual([4, 5, 3]);
    reduceInto(out, [a, b], 'min');
    expect(Array.from(out)).toEqual([1, -2, -6]);
    const g = new Float32Array([6, 8, 99]); // 2 gradient elements, then flags/loss left alone
    finishGradient(g, 2, { microBatches: 2, clipGradNorm: 1 }); // [3, 4] has norm 5 -> [0.6, 0.8]
    expectClose(g, [0.6, 0.8, 99], { rtol: 1e-6 });
  });

  it('names the F loss a function is, for replicas to rebuild', () => {
    expect(lossName(F.crossEntropy)).toBe('crossEntropy');
    expect(lossName('mseLoss')).toBe('mseLoss');
    expect(lossName((o: tf.Tensor) => o.sum())).toBeUndefined();
  });
});

describe('parallel.dataParallel({ transport: collective })', () => {
  it('with a world of one, fit equals fit without a strategy (bitwise) and the checksum tracks the state', async () => {
    const ds = new data.TensorDataset(tf.randomNormal([12, 5], 0, 1, 'float32', 1), tf.randomUniform([12], 0, 3, 'int32', 2));
    const run = async (strategy?: ReturnType<typeof dataParallel>) => {
      manualSeed(3);
      const model = new nn.Sequential(new nn.Linear(5, 6), new nn.ReLU(), new nn.Linear(6, 3));
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 });
      await train.fit(model, { train: new data.DataLoader(ds, { batchSize: 4 }), loss: 'crossEntropy', optimizer: opt, epochs: 2, accumulateSteps: 2, verbose: false, strategy });
      return model;
    };
    const plain = await run();
    const solo = await run(dataParallel({ transport: new SoloCollective() }));
    expect(stateChecksum(solo)).toBe(stateChecksum(plain));
    expectClose(solo.parameters()[0].data, plain.parameters()[0].data, { rtol: 1e-6, atol: 1e-7 });
    expect(() => dataParallel({ transport: 'threads' })).toThrow("import { parallel } from '@neuralzoo/core/node'");
    expect(() => dataParallel({ transport: 'c10d' } as never)).toThrow("import { parallel } from '@neuralzoo/backend-torch'");
  });
});
