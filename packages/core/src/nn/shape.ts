import { tf } from '../tf';
import type { Module } from './module';

/** Throws unless x has `rank` dimensions, naming the layer and the shape it got. */
export function checkRank(layer: Module | string, x: tf.Tensor, rank: number | number[], layout?: string): void {
  const ranks = Array.isArray(rank) ? rank : [rank];
  if (!ranks.includes(x.rank)) {
    const name = typeof layer === 'string' ? layer : layer.typeName;
    throw new Error(
      `${name}: expected a ${ranks.join(' or ')}-D input${layout ? ` ${layout}` : ''}, got shape [${x.shape}]`,
    );
  }
}

/** Throws unless the last dimension of x is `size`. */
export function checkLastDim(layer: Module | string, x: tf.Tensor, size: number, what = 'features'): void {
  const name = typeof layer === 'string' ? layer : layer.typeName;
  if (x.rank === 0 || x.shape[x.rank - 1] !== size)
    throw new Error(`${name}: expected input [..., ${size}] (${what}), got shape [${x.shape}]`);
}
