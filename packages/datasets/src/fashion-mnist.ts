/**
 * Fashion-MNIST (Xiao et al., 2017) from the Debian package `dataset-fashion-mnist`, which
 * installs the original gzip-compressed IDX files under /usr/share/datasets/fashion-mnist/.
 * Splits are the original ones: 60,000 train and 10,000 test images of 28×28 grey clothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseIdx } from './idx';
import { checkSplit, ImageSet, Split } from './types';

/** Where `apt-get install dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names in label order (the data set's documentation). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
};

export interface LoadFashionMnistOptions {
  /** `train` (60,000 images) or `test` (10,000). */
  split: Split;
  /** Directory holding the four IDX .gz files. Default /usr/share/datasets/fashion-mnist. */
  dir?: string;
}

function readIdx(dir: string, name: string) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file))
    throw new Error(`loadFashionMnist: ${file} is missing; install the data set with: apt-get install dataset-fashion-mnist`);
  return parseIdx(fs.readFileSync(file), file);
}

/** Loads a Fashion-MNIST split as [N, 28, 28, 1] images in [0, 1] with labels 0–9. */
export function loadFashionMnist(opts: LoadFashionMnistOptions): ImageSet {
  checkSplit('loadFashionMnist', opts?.split);
  const dir = opts.dir ?? FASHION_MNIST_DIR;
  const files = FILES[opts.split];
  const img = readIdx(dir, files.images);
  const lab = readIdx(dir, files.labels);
  if (img.dtype !== 'uint8' || img.shape.length !== 3)
    throw new Error(`loadFashionMnist: ${files.images} must hold uint8 [N, H, W], got ${img.dtype} [${img.shape}]`);
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1 || lab.shape[0] !== img.shape[0])
    throw new Error(`loadFashionMnist: ${files.labels} must hold ${img.shape[0]} uint8 labels, got ${lab.dtype} [${lab.shape}]`);
  const [n, h, w] = img.shape;
  const images = new Float32Array(img.data.length);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  return { images, labels: Int32Array.from(lab.data), shape: [n, h, w, 1], classes: [...FASHION_MNIST_CLASSES] };
}
