import { tf } from '../tf';

export interface ParameterOptions {
  /** Whether `backward` computes a gradient for it. Default true. */
  requiresGrad?: boolean;
  /** Display name; modules set the dotted name when they list parameters. */
  name?: string;
}

/**
 * A trainable tensor: a `tf.Variable` (`data`), a name, and the gradient `backward` accumulated
 * (`grad`, null until the first backward and after `zeroGrad`), like `torch.nn.Parameter`.
 */
export class Parameter {
  readonly data: tf.Variable;
  grad: tf.Tensor | null = null;
  name: string;

  /** Takes ownership of `value`: it is disposed once copied into the variable. */
  constructor(value: tf.Tensor, opts: ParameterOptions = {}) {
    this.name = opts.name ?? '';
    if (value.dtype !== 'float32') throw new Error(`Parameter${this.label()}: expected a float32 tensor, got ${value.dtype}`);
    this.data = tf.variable(value, opts.requiresGrad ?? true);
    value.dispose();
  }

  /** Whether `backward` computes a gradient for it (the variable's `trainable` flag). */
  get requiresGrad(): boolean {
    return this.data.trainable;
  }

  set requiresGrad(value: boolean) {
    this.data.trainable = value;
  }

  get shape(): number[] {
    return this.data.shape;
  }

  get size(): number {
    return this.data.size;
  }

  /** Copies `value` into the parameter (shape must match); the caller keeps ownership of `value`. */
  assign(value: tf.Tensor): void {
    if (!tf.util.arraysEqual(value.shape, this.data.shape))
      throw new Error(`Parameter${this.label()}: cannot assign shape [${value.shape}] to [${this.data.shape}]`);
    this.data.assign(value.dtype === 'float32' ? value : tf.tidy(() => value.toFloat()));
  }

  /** Drops the gradient (PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }

  dispose(): void {
    this.zeroGrad();
    this.data.dispose();
  }

  private label(): string {
    return this.name ? ` '${this.name}'` : '';
  }
}
