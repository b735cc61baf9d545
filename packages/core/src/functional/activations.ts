import { tf } from '../tf';

export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}
