/**
 * Recursive neural network (Socher et al., 2011; Goller & Küchler, 1996) over given trees, with
 * one weight matrix per child position: h = tanh(W x + Σ_l U_l h_l + b) (leaves: tanh(W x + b)).
 * Nodes are computed a level at a time across the batch (`batchTrees`); the root state feeds a
 * linear classifier.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveTreeModelConfig, TreeModelConfig } from './config';
import { batchTrees, Tree, TreeBatch } from './trees';

export class RecursiveNN extends nn.Module {
  readonly config: Readonly<TreeModelConfig>;
  readonly embedding: nn.Embedding;
  /** W x + b. */
  readonly wx: nn.Linear;
  /** Σ_l U_l h_l as one matrix over the concatenated child slots [h_1; …; h_N]. */
  readonly uh: nn.Linear;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(config: Partial<TreeModelConfig> & { vocabSize: number }) {
    super();
    const c = (this.config = Object.freeze(resolveTreeModelConfig(config, 'RecursiveNN')));
    this.embedding = this.registerModule('embedding', new nn.Embedding(c.vocabSize, c.embeddingDim, { paddingIdx: c.padId }));
    this.wx = this.registerModule('wx', new nn.Linear(c.embeddingDim, c.hiddenSize));
    this.uh = this.registerModule('uh', new nn.Linear(c.arity * c.hiddenSize, c.hiddenSize, { bias: false }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(c.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(c.hiddenSize, c.numClasses));
  }

  /** Trees as given (batched here) or a `batchTrees` result -> [numTrees, numClasses] logits. */
  forward(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    return tf.tidy(() => this.fc.forward(this.dropout.forward(this.rootStates(trees))) as tf.Tensor2D);
  }

  /** Root state of every tree, [numTrees, hiddenSize]. */
  rootStates(trees: TreeBatch | readonly Tree[]): tf.Tensor2D {
    const { arity, padId, hiddenSize: D } = this.config;
    const batch = Array.isArray(trees) ? batchTrees(trees, { padId, maxChildren: arity }) : (trees as TreeBatch);
    if (batch.maxChildren !== arity) throw new Error(`RecursiveNN: the batch has ${batch.maxChildren} child slots but arity is ${arity}; batch with maxChildren ${arity}`);
    return tf.tidy(() => {
      let table: tf.Tensor2D = tf.zeros([1, D]); // row 0: the state of a missing child
      for (const level of batch.levels) {
        const n = level.tokens.length;
        const x = this.embedding.forward(tf.tensor1d(level.tokens, 'int32')); // [n, E]
        const kids = table.gather(tf.tensor1d(level.children, 'int32')).reshape([n, arity * D]); // [n, N·D]
        const h = tf.tanh(this.wx.forward(x).add(this.uh.forward(kids))) as tf.Tensor2D; // [n, D]
        table = tf.concat([table, h], 0);
      }
      return table.gather(tf.tensor1d(batch.roots, 'int32')) as tf.Tensor2D; // [numTrees, D]
    });
  }
}

/** Recursive NN tree classifier; `config.vocabSize` is required, the rest overrides `TREE_MODEL_DEFAULTS`. */
export function recursiveNN(config: Partial<TreeModelConfig> & { vocabSize: number }): RecursiveNN {
  return new RecursiveNN(config);
}
