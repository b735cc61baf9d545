export { mnistLenet } from './mnist-lenet';
export type { MnistLenetOptions, MnistLenetResult } from './mnist-lenet';
export { sentiment, sentimentClassifier, classify } from './sentiment';
export type { SentimentOptions, SentimentPrediction, SentimentClassifier } from './sentiment';
export { DEMOS, DEFAULT_DEMO, parseArgs } from './main';
export { detectDemo } from './detect';
export type { DetectDemoOptions, DetectDemoResult, DetectSceneResult } from './detect';
export { fashionResnet, evaluateClassifier, RESNET_FASHION_WEIGHTS } from './fashion-resnet';
export type { FashionResnetOptions, FashionResnetResult } from './fashion-resnet';
