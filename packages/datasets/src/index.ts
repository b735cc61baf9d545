/**
 * @neuralzoo/datasets — loaders for real data sets shipped by npm and Debian packages, returned
 * as typed arrays plus metadata. Node only (reads files); nothing is downloaded at run time.
 */
export type { ImageSet, Split } from './types';
export { loadMnist, mnistDigitsDir, MNIST_SPLIT_SEED, MNIST_TRAIN_SIZE } from './mnist';
export type { LoadMnistOptions } from './mnist';
export { loadFashionMnist, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES } from './fashion-mnist';
export type { LoadFashionMnistOptions } from './fashion-mnist';
export { parseIdx } from './idx';
export type { IdxArray } from './idx';
export { toDataset, ImageSetDataset } from './dataset';
export { stratifiedSplit, DEFAULT_FRACTIONS } from './common';
export type { SplitTVT, TextSet } from './common';
export { toTextDataset, TextSetDataset, toSeq2SeqDataset, Seq2SeqDataset } from './text-dataset';
export type { TextDatasetOptions, Seq2SeqDatasetOptions } from './text-dataset';
export { loadSentiment, SENTIMENT_CLASSES, SENTIMENT_SOURCES, SENTIMENT_SPLIT_SEED } from './sentiment';
export type { LoadSentimentOptions, SentimentSet, SentimentSource } from './sentiment';
export { loadSpamAssassin, emailBody, spamChecksumOk, SPAM_CLASSES, SPAM_GROUPS, SPAM_SPLIT_SEED } from './spam-assassin';
export type { LoadSpamAssassinOptions, SpamSet } from './spam-assassin';
export { loadParallelBible, PARALLEL_BIBLE_SIZE, PARALLEL_BIBLE_SPLIT_SEED, SWORD_DIR } from './parallel-bible';
export type { LoadParallelBibleOptions, ParallelSet } from './parallel-bible';
export { readSwordModule, readZText, versesOf, osisToText, parseSwordConf } from './sword';
export type { SwordConf, SwordModule } from './sword';
export { loadCmudict, CMUDICT_SPLIT_SEED } from './cmudict';
export type { LoadCmudictOptions, PronunciationSet } from './cmudict';
export { loadWordNet, loadSynonyms, WORDNET_POS, WORDNET_SPLIT_SEED } from './wordnet';
export type { LoadWordNetOptions, LoadSynonymsOptions, Synset, SynonymSet, WordNetPointer, WordNetPos } from './wordnet';
export { toTabularDataset, TabularDataset, columnStats, standardize } from './tabular';
export type { TabularSet } from './tabular';
export { loadIris, loadWine, loadBreastCancer, loadDigits, parseSklearnCsv, SKLEARN_DATA_DIR, SKLEARN_SPLIT_SEED, IRIS_FEATURES, WINE_FEATURES, BREAST_CANCER_FEATURES } from './sklearn';
export type { LoadSklearnOptions } from './sklearn';
export { loadKarateClub, loadLesMiserables, adjacency, GRAPH_SPLIT_SEED } from './graphs';
export type { GraphSet, LoadGraphOptions } from './graphs';
export { loadAsteriskSounds, spokenDigits, spokenLetters, decodeWav, ASTERISK_SOUNDS_DIR, ASTERISK_SAMPLE_RATE } from './asterisk-sounds';
export type { AudioSet, LoadAsteriskSoundsOptions } from './asterisk-sounds';
export { loadMovieLens, toRatingsDataset, RatingsDataset, DSLABS_DATA_DIR, MOVIELENS_SPLIT_SEED } from './movielens';
export type { LoadMovieLensOptions, Movie, RatingsSet } from './movielens';
export { parseRSerialized, readRds, openLazyLoadDb, dataFrameColumns, R_NA_INTEGER } from './rdata';
export type { RObject, RColumn, LazyLoadDb } from './rdata';
export { copyTask, reverseTask, sortTask, toSequenceDataset, SequenceTaskDataset } from './synthetic';
export type { SequenceTask, SequenceTaskOptions } from './synthetic';
export { listDatasets } from './catalog';
export type { DatasetInfo, DatasetStatus } from './catalog';
export { cached, defaultCacheDir } from './cache';
export { synthesizeSpeech, loadTtsDigits, TTS_DIGIT_WORDS } from './tts';
export type { SpeechOptions, TtsDigitsOptions, TtsDigitSet } from './tts';
export { loadPenguins, loadCars, VEGA_SPLIT_SEED } from './vega';
export type { LoadVegaOptions } from './vega';
