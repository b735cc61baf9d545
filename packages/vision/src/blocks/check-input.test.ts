import { tf } from '@neuralzoo/core';
import { checkImageInput, describeImageInput } from './check-input';

describe('checkImageInput', () => {
  const check = (shape: number[], spec: Parameters<typeof checkImageInput>[2]) => () => {
    const x = tf.zeros(shape);
    try {
      checkImageInput('Net', x, spec);
    } finally {
      x.dispose();
    }
  };

  it('accepts NHWC batches of the right channels and sides', () => {
    expect(check([2, 28, 28, 1], { channels: 1, side: 28 })).not.toThrow();
    expect(check([1, 40, 32, 3], { channels: 3, minSide: 32 })).not.toThrow();
    expect(check([1, 9, 9, 3], { channels: 3, accepts: (h, w) => h % 2 === 1 && w % 2 === 1 })).not.toThrow();
  });

  it('names NCHW input, the expected shape, the received shape and the transposed one', () => {
    expect(check([2, 1, 28, 28], { channels: 1, side: 28 })).toThrow(
      'Net: expected NHWC input [batch, 28, 28, 1], got shape [2,1,28,28]; this looks like NCHW [batch, 1, 28, 28]: transpose it with x.transpose([0, 2, 3, 1]), which gives [2,28,28,1]',
    );
    expect(check([4, 3, 64, 48], { channels: 3, minSide: 32 })).toThrow(
      'Net: expected NHWC input [batch, height, width, 3] with height, width >= 32, got shape [4,3,64,48]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1]), which gives [4,64,48,3]',
    );
  });

  it('names a wrong channel count, a wrong rank and rejected sides', () => {
    expect(check([2, 32, 32, 1], { channels: 3 })).toThrow('Net: expected NHWC input [batch, height, width, 3], got shape [2,32,32,1] with 1 channels where 3 are expected');
    expect(check([28, 28, 1], { channels: 1, side: 28 })).toThrow('Net: expected NHWC input [batch, 28, 28, 1], got shape [28,28,1] (a 3-D tensor; images are 4-D NHWC)');
    expect(check([1, 16, 40, 3], { channels: 3, minSide: 32 })).toThrow('got shape [1,16,40,3] (height 16, width 40 not accepted)');
    expect(check([1, 8, 9, 3], { channels: 3, accepts: (h, w) => h % 2 === 1 && w % 2 === 1 })).toThrow('(height 8, width 9 not accepted)');
  });

  it('describes the expected input', () => {
    expect(describeImageInput({ channels: 1, side: 28 })).toBe('[batch, 28, 28, 1]');
    expect(describeImageInput({ channels: 3 })).toBe('[batch, height, width, 3]');
    expect(describeImageInput({ channels: 3, minSide: 75 })).toBe('[batch, height, width, 3] with height, width >= 75');
  });
});
