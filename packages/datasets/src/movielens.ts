/**
 * MovieLens "ml-latest-small" (GroupLens, 2016 snapshot: 100,004 ratings, 0.5–5 stars, by 671
 * users of 9,066 movies) as shipped in the R package dslabs' `movielens` data frame, from the
 * Debian package `r-cran-dslabs` (0.7.4): /usr/lib/R/site-library/dslabs/data/Rdata.{rdx,rdb},
 * an R lazy-load database read by our parser (`./rdata`), no R needed.
 *
 * Users and movies are renumbered densely (0..numUsers-1 by ascending userId, 0..numItems-1 by
 * ascending movieId). Fixed splits stratified by user: `stratifiedSplit(userIndex,
 * MOVIELENS_SPLIT_SEED)`, 80/10/10 of each user's ratings (every user has at least 20, so each
 * is in all three splits).
 */
import * as path from 'path';
import { data, tf } from '@neuralzoo/core';
import { aptHint, checkSplitTVT, requireFile, SplitTVT, stratifiedSplit } from './common';
import { dataFrameColumns, openLazyLoadDb, RColumn } from './rdata';

/** Where `apt-get install r-cran-dslabs` puts the package's data. */
export const DSLABS_DATA_DIR = '/usr/lib/R/site-library/dslabs/data';
/** Seed of the fixed splits (the ml-latest-small snapshot is from 2016). */
export const MOVIELENS_SPLIT_SEED = 2016;

export interface LoadMovieLensOptions {
  /** `train` (80 % of each user's ratings), `val` (10 %) or `test` (10 %). */
  split: SplitTVT;
  /** Directory holding Rdata.rdx / Rdata.rdb. Default /usr/lib/R/site-library/dslabs/data. */
  dir?: string;
}

/** A movie of the catalogue. */
export interface Movie {
  movieId: number;
  title: string;
  /** Release year (NaN when unknown). */
  year: number;
  /** Pipe-separated genres as in MovieLens, e.g. `Comedy|Romance`. */
  genres: string;
}

/** Explicit ratings: rating i is `ratings[i]` stars by user `users[i]` for item `items[i]`. */
export interface RatingsSet {
  /** Dense user index of each rating, in [0, numUsers). */
  users: Int32Array;
  /** Dense item index of each rating, in [0, numItems). */
  items: Int32Array;
  /** Stars, 0.5–5 in half steps. */
  ratings: Float32Array;
  /** Unix time (s) of each rating. */
  timestamps: Float64Array;
  /** Users and items in the whole data set (all splits share the numbering). */
  numUsers: number;
  numItems: number;
  /** MovieLens userId of each dense user index. */
  userIds: Int32Array;
  /** The movie of each dense item index. */
  movies: Movie[];
}

interface All extends RatingsSet {
  byUser: Int32Array;
}

let memo: { dir: string; all: All } | null = null;

function ints(c: RColumn, name: string): Int32Array | Float64Array {
  if (c instanceof Int32Array || c instanceof Float64Array) return c;
  throw new Error(`loadMovieLens: column ${name} must be numeric`);
}

function readAll(dir: string): All {
  if (memo && memo.dir === dir) return memo.all;
  requireFile('loadMovieLens', path.join(dir, 'Rdata.rdx'), aptHint('r-cran-dslabs'));
  const cols = dataFrameColumns(openLazyLoadDb(path.join(dir, 'Rdata')).get('movielens'), 'dslabs movielens');
  for (const k of ['movieId', 'title', 'year', 'genres', 'userId', 'rating', 'timestamp'])
    if (!(k in cols)) throw new Error(`loadMovieLens: dslabs movielens has no column ${k} (columns: ${Object.keys(cols).join(', ')})`);
  const movieId = ints(cols.movieId, 'movieId');
  const userId = ints(cols.userId, 'userId');
  const rating = ints(cols.rating, 'rating');
  const time = ints(cols.timestamp, 'timestamp');
  const year = ints(cols.year, 'year');
  const title = cols.title as (string | null)[] | { levels: string[]; codes: Int32Array };
  const genres = cols.genres as (string | null)[] | { levels: string[]; codes: Int32Array };
  const str = (c: typeof title, i: number) => (Array.isArray(c) ? c[i] ?? '' : c.codes[i] >= 0 ? c.levels[c.codes[i]] : '');
  const n = movieId.length;
  const userList = [...new Set(userId)].sort((a, b) => a - b);
  const itemList = [...new Set(movieId)].sort((a, b) => a - b);
  const userIndex = new Map(userList.map((u, k) => [u, k]));
  const itemIndex = new Map(itemList.map((m, k) => [m, k]));
  const movies: Movie[] = new Array(itemList.length);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    users[i] = userIndex.get(userId[i])!;
    const k = (items[i] = itemIndex.get(movieId[i])!);
    movies[k] ??= { movieId: movieId[i], title: str(title, i), year: year[i] === -2147483648 ? NaN : year[i], genres: str(genres, i) };
  }
  const all: All = {
    users,
    items,
    ratings: Float32Array.from(rating),
    timestamps: Float64Array.from(time),
    numUsers: userList.length,
    numItems: itemList.length,
    userIds: Int32Array.from(userList),
    movies,
    byUser: users,
  };
  memo = { dir, all };
  return all;
}

/**
 * Loads a fixed split of the MovieLens ratings (Debian `r-cran-dslabs`: `apt-get install
 * r-cran-dslabs`).
 */
export function loadMovieLens(opts: LoadMovieLensOptions): RatingsSet {
  checkSplitTVT('loadMovieLens', opts?.split);
  const all = readAll(opts.dir ?? DSLABS_DATA_DIR);
  const index = stratifiedSplit(all.byUser, MOVIELENS_SPLIT_SEED)[opts.split];
  const pick = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(index.length);
    for (let k = 0; k < index.length; k++) out[k] = a[index[k]];
    return out;
  };
  return {
    users: pick(all.users),
    items: pick(all.items),
    ratings: pick(all.ratings),
    timestamps: pick(all.timestamps),
    numUsers: all.numUsers,
    numItems: all.numItems,
    userIds: all.userIds,
    movies: all.movies,
  };
}

/**
 * A `RatingsSet` as core's `data.Dataset`: sample i is `[user int32, item int32, rating
 * float32]` scalars; `getBatch` gives `[users [B], items [B], ratings [B]]`. Holds no tensor.
 */
export class RatingsDataset extends data.Dataset<tf.Tensor[]> {
  constructor(readonly set: RatingsSet) {
    super();
    const n = set.ratings.length;
    if (set.users.length !== n || set.items.length !== n)
      throw new Error(`toRatingsDataset: ${set.users.length} users, ${set.items.length} items and ${n} ratings must match`);
  }

  get length(): number {
    return this.set.ratings.length;
  }

  get(index: number): tf.Tensor[] {
    this.check(index);
    return [tf.scalar(this.set.users[index], 'int32'), tf.scalar(this.set.items[index], 'int32'), tf.scalar(this.set.ratings[index])];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const b = indices.length;
    const u = new Int32Array(b);
    const it = new Int32Array(b);
    const r = new Float32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      this.check(i);
      u[k] = this.set.users[i];
      it[k] = this.set.items[i];
      r[k] = this.set.ratings[i];
    }
    return [tf.tensor1d(u, 'int32'), tf.tensor1d(it, 'int32'), tf.tensor1d(r)];
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`RatingsDataset: index ${i} is out of range for length ${this.length}`);
  }
}

/** Wraps a ratings split for `data.DataLoader` / `train.fit`. */
export function toRatingsDataset(set: RatingsSet): RatingsDataset {
  return new RatingsDataset(set);
}
