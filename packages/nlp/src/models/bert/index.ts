import { registry } from '@neuralzoo/core';
import type { BertConfig } from './config';
import { BertForPreTraining, BertForSequenceClassification, BertForTokenClassification, BertModel, bert, bertForPreTraining, bertForSequenceClassification, bertForTokenClassification } from './bert';
import { BERT_BIBLE_RECIPE, BERT_SENTIMENT_RECIPE } from './recipe';

export {
  BertModel,
  BertForPreTraining,
  BertForSequenceClassification,
  BertForTokenClassification,
  BertEmbeddings,
  BertSelfAttention,
  BertSelfOutput,
  BertAttention,
  BertIntermediate,
  BertOutputLayer,
  BertLayer,
  BertEncoder,
  BertPooler,
  BertPredictionHeadTransform,
  BertLMPredictionHead,
  BertPreTrainingHeads,
  attentionBias,
  initBertWeights,
  bert,
  bertForPreTraining,
  bertForSequenceClassification,
  bertForTokenClassification,
} from './bert';
export type { BertInputs, BertOutput, BertPreTrainingOutput } from './bert';
export { BERT_DEFAULTS, resolveBertConfig } from './config';
export type { BertConfig } from './config';
export {
  BERT_BIBLE_RECIPE,
  BERT_SENTIMENT_RECIPE,
  maskTokens,
  pretrainingBatch,
  batchTensors,
  evaluatePretraining,
  pretrainBert,
  warmupLinear,
  encodeSentence,
  padClassificationBatch,
  classificationAccuracy,
  finetuneBertClassifier,
  carveValidation,
  bucketedBatches,
} from './recipe';
export type { BertPretrainRecipe, BertFinetuneRecipe, PretrainingBatch, PretrainEval, PretrainResult, FinetuneResult, ClassificationSet } from './recipe';
export { fillMask, encodeMasked, MASK_MARKER } from './fill-mask';
export type { FillMaskCandidate } from './fill-mask';

registry.register<Partial<BertConfig>, BertModel>({
  name: 'bert',
  task: 'text-encoding',
  domain: 'nlp',
  create: (config) => bert(config),
  recipe: BERT_BIBLE_RECIPE,
  description: 'BERT (Devlin et al., 2019): post-LN bidirectional Transformer encoder, token + position + segment embeddings, tanh pooler; HF BERT state dict',
});
registry.register<Partial<BertConfig>, BertForPreTraining>({
  name: 'bert_for_pre_training',
  task: 'fill-mask',
  domain: 'nlp',
  create: (config) => bertForPreTraining(config),
  recipe: BERT_BIBLE_RECIPE,
  description: 'BERT with the MLM head (tied to the word embeddings) and the NSP head, pretrained on the English Bible',
});
registry.register<Partial<BertConfig>, BertForSequenceClassification>({
  name: 'bert_for_sequence_classification',
  task: 'text-classification',
  domain: 'nlp',
  create: (config) => bertForSequenceClassification(config),
  recipe: BERT_SENTIMENT_RECIPE,
  description: 'BERT + linear classifier on the pooled [CLS] vector (UCI sentiment fine-tuning recipe)',
});
registry.register<Partial<BertConfig>, BertForTokenClassification>({
  name: 'bert_for_token_classification',
  task: 'token-classification',
  domain: 'nlp',
  create: (config) => bertForTokenClassification(config),
  description: 'BERT (no pooler) + linear classifier per token',
});
