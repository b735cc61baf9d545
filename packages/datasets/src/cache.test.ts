import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cached } from './cache';

describe('cached', () => {
  let dir: string;
  let source: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-cache-'));
    source = path.join(dir, 'source.txt');
    fs.writeFileSync(source, 'v1');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true }));

  it('builds once, then reads the entry while the source is unchanged', () => {
    let builds = 0;
    const build = () => ({ n: ++builds, text: fs.readFileSync(source, 'utf8') });
    expect(cached('t', [source], build, { dir })).toEqual({ n: 1, text: 'v1' });
    expect(cached('t', [source], build, { dir })).toEqual({ n: 1, text: 'v1' });
    expect(builds).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual(['source.txt', 't.json']);
    // A changed source (size differs) invalidates the entry.
    fs.writeFileSync(source, 'v22');
    expect(cached('t', [source], build, { dir })).toEqual({ n: 2, text: 'v22' });
  });

  it('re-parses when the payload does not match its checksum', () => {
    let builds = 0;
    const build = () => [++builds, 10, 20];
    cached('t', [source], build, { dir });
    const file = path.join(dir, 't.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('[1,10,20]', '[1,10,21]'));
    expect(cached('t', [source], build, { dir })).toEqual([2, 10, 20]);
    expect(cached('t', [source], build, { dir })).toEqual([2, 10, 20]);
    expect(builds).toBe(2);
  });

  it('round-trips typed arrays through encode/decode, and can be disabled', () => {
    const opts = { dir, encode: (a: Int32Array) => Array.from(a), decode: (j: number[]) => Int32Array.from(j) };
    cached('arr', [source], () => Int32Array.from([3, -1]), opts);
    const back = cached('arr', [source], () => new Int32Array(0), opts);
    expect(back).toEqual(Int32Array.from([3, -1]));
    let builds = 0;
    cached('off', [source], () => ++builds, { dir: false });
    cached('off', [source], () => ++builds, { dir: false });
    expect(builds).toBe(2);
    expect(() => cached('../x', [source], () => 1, { dir })).toThrow(`cached: entry name "../x" must be letters, digits, '.', '_' or '-'`);
  });
});
