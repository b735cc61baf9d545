export { mnistLenet } from './mnist-lenet';
export type { MnistLenetOptions, MnistLenetResult } from './mnist-lenet';
export { sentiment, sentimentClassifier, classify } from './sentiment';
export type { SentimentOptions, SentimentPrediction, SentimentClassifier } from './sentiment';
export { DEMOS, DEFAULT_DEMO, parseArgs } from './main';
