import { tf } from '../tf';
import { dropout } from '../functional/activations';
import { Module } from './module';

/**
 * Inverted dropout (torch.nn.Dropout): in training mode zeroes each element with probability p
 * and scales the rest by 1 / (1 - p); the identity in eval mode. Masks come from the seeded
 * default generator.
 */
export class Dropout extends Module {
  /** @param p probability of zeroing an element, in [0, 1]. Default 0.5. */
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be in [0, 1], got ${p}`);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return dropout(x, this.p, this.training);
  }
}
