import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { data, tf } from '@neuralzoo/core';
import { DSLABS_DATA_DIR, loadMovieLens, toRatingsDataset } from './movielens';
import { dataFrameColumns, openLazyLoadDb, parseRSerialized, R_NA_INTEGER } from './rdata';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(path.join(DSLABS_DATA_DIR, 'Rdata.rdx'));

/** Minimal XDR writer for R serialization (version 2), enough for the tests' objects. */
const int = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
const chars = (s: string | null) => (s === null ? Buffer.concat([int(9), int(-1)]) : Buffer.concat([int(0x40009), int(Buffer.byteLength(s)), Buffer.from(s)]));
const sym = (s: string) => Buffer.concat([int(1), chars(s)]);
const attrs = (pairs: [string, Buffer][]) => Buffer.concat([...pairs.map(([tag, v]) => Buffer.concat([int(2 | (1 << 10)), sym(tag), v])), int(254)]);
const vec = (type: number, body: Buffer[], n: number, a?: [string, Buffer][]) => Buffer.concat([int(type | (a ? 1 << 9 : 0) | (a?.some(([t]) => t === 'class') ? 1 << 8 : 0)), int(n), ...body, ...(a ? [attrs(a)] : [])]);
const ints = (xs: number[], a?: [string, Buffer][]) => vec(13, xs.map(int), xs.length, a);
const dbls = (xs: number[]) => vec(14, xs.map((x) => { const b = Buffer.alloc(8); b.writeDoubleBE(x); return b; }), xs.length);
const strs = (xs: (string | null)[]) => vec(16, xs.map(chars), xs.length);
const header = Buffer.concat([Buffer.from('X\n'), int(2), int(0x40000), int(0x20300)]);

function tinyFrame(): Buffer {
  const factor = ints([2, 1, R_NA_INTEGER], [['levels', strs(['lo', 'hi'])], ['class', strs(['factor'])]]);
  return Buffer.concat([header, vec(19, [ints([7, R_NA_INTEGER, 9]), dbls([0.5, NaN, 5]), factor, strs(['x', null, 'é'])], 4, [
    ['names', strs(['id', 'score', 'level', 'label'])],
    ['row.names', ints([R_NA_INTEGER, -3])],
    ['class', strs(['data.frame'])],
  ])]);
}

describe('R serialization and lazy-load databases', () => {
  it('parses a data frame with NA, factor and UTF-8 columns', () => {
    const cols = dataFrameColumns(parseRSerialized(tinyFrame()));
    expect(Array.from(cols.id as Int32Array)).toEqual([7, R_NA_INTEGER, 9]);
    expect(Array.from(cols.score as Float64Array)).toEqual([0.5, NaN, 5]);
    expect(cols.level).toEqual({ levels: ['lo', 'hi'], codes: Int32Array.from([1, 0, -1]) });
    expect(cols.label).toEqual(['x', null, 'é']);
  });

  it('reads a zlib record of a .rdb through its gzip-compressed .rdx index', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-rdata-'));
    try {
      const payload = tinyFrame();
      const record = Buffer.concat([Buffer.alloc(4), zlib.deflateSync(payload)]);
      record.writeUInt32BE(payload.length, 0);
      fs.writeFileSync(path.join(dir, 'Rdata.rdb'), Buffer.concat([Buffer.from('junk'), record]));
      const index = Buffer.concat([header, vec(19, [vec(19, [ints([4, record.length])], 1, [['names', strs(['tiny'])]])], 1, [['names', strs(['variables'])]])]);
      fs.writeFileSync(path.join(dir, 'Rdata.rdx'), zlib.gzipSync(index));
      const db = openLazyLoadDb(path.join(dir, 'Rdata'));
      expect(db.names).toEqual(['tiny']);
      expect(Object.keys(dataFrameColumns(db.get('tiny')))).toEqual(['id', 'score', 'level', 'label']);
      expect(() => db.get('other')).toThrow(`openLazyLoadDb: ${path.join(dir, 'Rdata')} has no object "other"; it has tiny`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('rejects non-XDR input and unknown types, naming the source', () => {
    expect(() => parseRSerialized(Buffer.from('A\n1\n'), 'a.rds')).toThrow('parseRSerialized: a.rds is not XDR-serialized R data (starts with "A\\n"; only format X is supported)');
    expect(() => parseRSerialized(Buffer.concat([header, int(99)]), 'b.rds')).toThrow('parseRSerialized: b.rds holds unsupported SEXP type 99');
  });
});

describe('loadMovieLens', () => {
  it('finds the Debian package (apt-get install r-cran-dslabs)', () => {
    expect(installed).toBe(true);
  });

  (installed ? it : it.skip)('loads the 100,004 ratings of 671 users on 9,066 movies, split 79,748 / 9,722 / 10,534 by user', () => {
    const parts = (['train', 'val', 'test'] as const).map((split) => loadMovieLens({ split }));
    expect(parts.map((p) => p.ratings.length)).toEqual([79748, 9722, 10534]);
    const [train, , test] = parts;
    expect([test.numUsers, test.numItems]).toEqual([671, 9066]);
    // Every user appears in every split.
    for (const p of parts) expect(new Set(p.users).size).toBe(671);
    const all = parts.flatMap((p) => Array.from(p.ratings));
    const hist: Record<string, number> = {};
    for (const r of all) hist[r] = (hist[r] ?? 0) + 1;
    expect(hist).toEqual({ '0.5': 1101, '1': 3326, '1.5': 1687, '2': 7271, '2.5': 4449, '3': 20064, '3.5': 10538, '4': 28750, '4.5': 7723, '5': 15095 });
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeCloseTo(3.5436, 4);
    expect(train.movies[0]).toEqual({ movieId: 1, title: 'Toy Story', year: 1995, genres: 'Adventure|Animation|Children|Comedy|Fantasy' });
    expect(train.userIds[0]).toBe(1);
    expect(Math.max(...test.items)).toBeLessThan(9066);
    expect(sha256(test.users)).toBe('aac2f6f58d736425fd32e3ba8d630b0eac981d82257a5e7968a38121e6f9a515');
    expect(sha256(test.items)).toBe('bc9160138f2ea15d9f9d55259051429be90decb18f652812a00c93d40d9c1840');
    expect(sha256(test.ratings)).toBe('12e42ca098460be3fccea8464484c6cec3dec0d0c1d102f8353f497af9639991');
  });

  (installed ? it : it.skip)('batches ratings through data.DataLoader without leaking', () => {
    const val = loadMovieLens({ split: 'val' });
    const ds = toRatingsDataset(val);
    const before = tf.memory().numTensors;
    const [u, i, r] = ds.get(0);
    expect([u.shape, u.dtype, i.dtype, r.dtype]).toEqual([[], 'int32', 'int32', 'float32']);
    expect([u.dataSync()[0], i.dataSync()[0], r.dataSync()[0]]).toEqual([val.users[0], val.items[0], val.ratings[0]]);
    tf.dispose([u, i, r]);
    let n = 0;
    for (const batch of new data.DataLoader(ds, { batchSize: 4096 })) {
      n += (batch as tf.Tensor[])[2].shape[0];
      data.disposeBatch(batch);
    }
    expect(n).toBe(9722);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the apt-get command when the package is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-movielens-'));
    try {
      expect(() => loadMovieLens({ split: 'test', dir: empty })).toThrow(`loadMovieLens: ${path.join(empty, 'Rdata.rdx')} is missing; install the data set with: apt-get install r-cran-dslabs`);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
