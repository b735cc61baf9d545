import { registry } from '@neuralzoo/core';
import type { TreeModelConfig } from './config';
import { RecursiveNN, recursiveNN } from './recursive';
import { RECURSIVE_NN_LISTOPS_RECIPE, TREE_LSTM_LISTOPS_RECIPE } from './recipe';
import { ChildSumTreeLstm, NaryTreeLstm, treeLstmChildSum, treeLstmNary } from './treelstm';

export { RecursiveNN, recursiveNN } from './recursive';
export { ChildSumTreeLstm, NaryTreeLstm, treeLstmChildSum, treeLstmNary } from './treelstm';
export { batchTrees, parsePrefixTree, treeSize } from './trees';
export type { Tree, TreeBatch, TreeLevel, BatchTreesOptions } from './trees';
export { TREE_MODEL_DEFAULTS, resolveTreeModelConfig } from './config';
export type { TreeModelConfig } from './config';
export { TREE_LSTM_LISTOPS_RECIPE, RECURSIVE_NN_LISTOPS_RECIPE, LISTOPS_LSTM_BASELINE } from './recipe';
export type { ListOpsRecipe } from './recipe';

const LISTOPS = { vocabSize: 16, numClasses: 10 }; // LISTOPS_VOCAB of @neuralzoo/datasets, values 0–9

registry.register<Partial<TreeModelConfig>, RecursiveNN>({
  name: 'recursive_nn',
  task: 'tree-classification',
  domain: 'nlp',
  create: (config) => recursiveNN({ ...LISTOPS, arity: 4, ...config }),
  recipe: RECURSIVE_NN_LISTOPS_RECIPE,
  description: 'Recursive NN (Socher et al., 2011) with per-position child weights, batched by tree level',
});

registry.register<Partial<TreeModelConfig>, ChildSumTreeLstm>({
  name: 'tree_lstm_child_sum',
  task: 'tree-classification',
  domain: 'nlp',
  create: (config) => treeLstmChildSum({ ...LISTOPS, ...config }),
  recipe: TREE_LSTM_LISTOPS_RECIPE,
  description: 'Child-sum Tree-LSTM (Tai et al., 2015), any number of unordered children, batched by tree level',
});

registry.register<Partial<TreeModelConfig>, NaryTreeLstm>({
  name: 'tree_lstm_nary',
  task: 'tree-classification',
  domain: 'nlp',
  create: (config) => treeLstmNary({ ...LISTOPS, arity: 4, ...config }),
  recipe: TREE_LSTM_LISTOPS_RECIPE,
  description: 'N-ary Tree-LSTM (Tai et al., 2015), at most N ordered children, batched by tree level',
});
