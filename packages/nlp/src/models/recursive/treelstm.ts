/**
 * Tree-LSTMs (Tai, Socher & Manning, 2015) over given trees, computed a level at a time across the
 * batch (`batchTrees`), with a linear classifier on the root state.
 * - Child-sum: gates read the sum of the children's h, one forget gate per child from its own h;
 *   any number of children, order ignored (dependency trees).
 * - N-ary: gates read the children's h by position (U_l per slot), one forget gate per slot from all
 *   slots; at most N ordered children (constituency trees).
 * Both: c = i ⊙ u + Σ_k f_k ⊙ c_k, h = o ⊙ tanh(c); a missing child has h = c = 0.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveTreeModelConfig, TreeModelConfig } from './config';
import { batchTrees, Tree, TreeBatch } from './trees';

export class ChildSumTreeLstm extends nn.Module {
  readonly config: Readonly<TreeModelConfig>;
  readonly embedding: nn.Embedding;
  /** W x + b for the i, o, u and f gates: [4D, E]. */
  readonly wx: nn.Linear;
  /** U h̃ for i, o, u (h̃ = Σ_k h_k): [3D, D]. */
  readonly uIou: nn.Linear;
  /** U_f h_k, per child: [D, D]. */
  readonly uF: nn.Linear;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(config: Partial<TreeModelConfig> & { vocabSize: number }) {
    super();
    const c = (this.config = Object.freeze(resolveTreeModelConfig(config, 'ChildSumTreeLstm')));
    const D = c.hiddenSize;
    this.embedding = this.registerModule('embedding', new nn.Embedding(c.vocabSize, c.embeddingDim, { paddingIdx: c.padId }));
    this.wx = this.registerModule('wx', new nn.Linear(c.embeddingDim, 4 * D));
    this.uIou = this.registerModule('u_iou', new nn.Linear(D, 3 * D, { bias: false }));
    this.uF = this.registerModule('u_f', new nn.Linear(D, D, { bias: false }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(c.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(D, c.numClasses));
  }

  /** Trees as given (batched here) or a `batchTrees` result -> [numTrees, numClasses] logits. */
  forward(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    return tf.tidy(() => this.fc.forward(this.dropout.forward(this.rootStates(trees))) as tf.Tensor2D);
  }

  /** Root h of every tree, [numTrees, hiddenSize]. */
  rootStates(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    const D = this.config.hiddenSize;
    const batch = Array.isArray(trees) ? batchTrees(trees, { padId: this.config.padId }) : (trees as TreeBatch);
    return tf.tidy(() => {
      let hs: tf.Tensor2D = tf.zeros([1, D]); // row 0: a missing child
      let cs: tf.Tensor2D = tf.zeros([1, D]);
      const K = batch.maxChildren;
      for (const level of batch.levels) {
        const n = level.tokens.length;
        const idx = tf.tensor1d(level.children, 'int32');
        const hk = hs.gather(idx).reshape([n, K, D]); // [n, K, D]
        const ck = cs.gather(idx).reshape([n, K, D]); // [n, K, D]
        const wx = this.wx.forward(this.embedding.forward(tf.tensor1d(level.tokens, 'int32'))); // [n, 4D]
        const [wi, wo, wu, wf] = tf.split(wx, 4, 1); // each [n, D]
        const [ui, uo, uu] = tf.split(this.uIou.forward(hk.sum(1)), 3, 1); // each [n, D]
        const i = tf.sigmoid(wi.add(ui));
        const o = tf.sigmoid(wo.add(uo));
        const u = tf.tanh(wu.add(uu));
        const f = tf.sigmoid(wf.reshape([n, 1, D]).add(this.uF.forward(hk))); // [n, K, D]
        const c = i.mul(u).add(f.mul(ck).sum(1)) as tf.Tensor2D; // missing children have c = 0
        const h = o.mul(tf.tanh(c)) as tf.Tensor2D; // [n, D]
        hs = tf.concat([hs, h], 0);
        cs = tf.concat([cs, c], 0);
      }
      return hs.gather(tf.tensor1d(batch.roots, 'int32')) as tf.Tensor2D; // [numTrees, D]
    });
  }
}

export class NaryTreeLstm extends nn.Module {
  readonly config: Readonly<TreeModelConfig>;
  readonly embedding: nn.Embedding;
  /** W x + b for the i, o, u gates and the N forget gates: [(3 + N)·D, E]. */
  readonly wx: nn.Linear;
  /** Σ_l U_l h_l for i, o, u over the concatenated slots: [3D, N·D]. */
  readonly uIou: nn.Linear;
  /** Σ_l U_{k,l} h_l for every forget gate k: [N·D, N·D]. */
  readonly uF: nn.Linear;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(config: Partial<TreeModelConfig> & { vocabSize: number }) {
    super();
    const c = (this.config = Object.freeze(resolveTreeModelConfig(config, 'NaryTreeLstm')));
    const D = c.hiddenSize;
    const N = c.arity;
    this.embedding = this.registerModule('embedding', new nn.Embedding(c.vocabSize, c.embeddingDim, { paddingIdx: c.padId }));
    this.wx = this.registerModule('wx', new nn.Linear(c.embeddingDim, (3 + N) * D));
    this.uIou = this.registerModule('u_iou', new nn.Linear(N * D, 3 * D, { bias: false }));
    this.uF = this.registerModule('u_f', new nn.Linear(N * D, N * D, { bias: false }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(c.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(D, c.numClasses));
  }

  forward(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    return tf.tidy(() => this.fc.forward(this.dropout.forward(this.rootStates(trees))) as tf.Tensor2D);
  }

  /** Root h of every tree, [numTrees, hiddenSize]. */
  rootStates(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    const { arity: N, padId, hiddenSize: D } = this.config;
    const batch = Array.isArray(trees) ? batchTrees(trees, { padId, maxChildren: N }) : (trees as TreeBatch);
    if (batch.maxChildren !== N) throw new Error(`NaryTreeLstm: the batch has ${batch.maxChildren} child slots but arity is ${N}; batch with maxChildren ${N}`);
    return tf.tidy(() => {
      let hs: tf.Tensor2D = tf.zeros([1, D]);
      let cs: tf.Tensor2D = tf.zeros([1, D]);
      for (const level of batch.levels) {
        const n = level.tokens.length;
        const idx = tf.tensor1d(level.children, 'int32');
        const hk = hs.gather(idx).reshape([n, N * D]); // [n, N·D]
        const ck = cs.gather(idx).reshape([n, N, D]); // [n, N, D]
        const wx = this.wx.forward(this.embedding.forward(tf.tensor1d(level.tokens, 'int32'))); // [n, (3+N)·D]
        const wIou = wx.slice([0, 0], [n, 3 * D]); // [n, 3D]
        const wF = wx.slice([0, 3 * D], [n, N * D]); // [n, N·D]
        const [gi, go, gu] = tf.split(wIou.add(this.uIou.forward(hk)), 3, 1); // each [n, D]
        const f = tf.sigmoid(wF.add(this.uF.forward(hk))).reshape([n, N, D]); // [n, N, D]
        const c = tf.sigmoid(gi).mul(tf.tanh(gu)).add(f.mul(ck).sum(1)) as tf.Tensor2D; // [n, D]
        const h = tf.sigmoid(go).mul(tf.tanh(c)) as tf.Tensor2D;
        hs = tf.concat([hs, h], 0);
        cs = tf.concat([cs, c], 0);
      }
      return hs.gather(tf.tensor1d(batch.roots, 'int32')) as tf.Tensor2D;
    });
  }
}

/** Child-sum Tree-LSTM classifier; `config.vocabSize` is required. */
export function treeLstmChildSum(config: Partial<TreeModelConfig> & { vocabSize: number }): ChildSumTreeLstm {
  return new ChildSumTreeLstm(config);
}

/** N-ary Tree-LSTM classifier (N = `config.arity`); `config.vocabSize` is required. */
export function treeLstmNary(config: Partial<TreeModelConfig> & { vocabSize: number }): NaryTreeLstm {
  return new NaryTreeLstm(config);
}
