import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { loadParallelBible, PARALLEL_BIBLE_SIZE, SWORD_DIR } from './parallel-bible';
import { osisToText, parseSwordConf, readSwordModule, readZText, versesOf } from './sword';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
// CI installs the Debian packages (.ci/run); the tests say so plainly when they are missing.
const installed = ['engWEB2015eb', 'spaRV1909eb'].every((m) => fs.existsSync(path.join(SWORD_DIR, 'mods.d', `${m}.conf`)));

/** Writes a one-testament zText module whose entries are `entries`, split into blocks of `perBlock`. */
function writeModule(root: string, name: string, entries: string[], perBlock: number): void {
  const dataPath = `modules/texts/ztext/${name}/`;
  fs.mkdirSync(path.join(root, 'mods.d'), { recursive: true });
  fs.mkdirSync(path.join(root, dataPath), { recursive: true });
  fs.writeFileSync(path.join(root, 'mods.d', `${name}.conf`), `[${name}]\n# comment\nDataPath=./${dataPath}\nModDrv=zText\nCompressType=ZIP\nDescription=Test\n`);
  const bzs: Buffer[] = [], bzz: Buffer[] = [], bzv: Buffer[] = [];
  let offset = 0;
  for (let b = 0; b * perBlock < entries.length; b++) {
    const texts = entries.slice(b * perBlock, (b + 1) * perBlock).map((e) => Buffer.from(e, 'utf8'));
    let at = 0;
    for (const t of texts) {
      const rec = Buffer.alloc(10);
      rec.writeUInt32LE(b, 0);
      rec.writeUInt32LE(at, 4);
      rec.writeUInt16LE(t.length, 8);
      bzv.push(rec);
      at += t.length;
    }
    const raw = Buffer.concat(texts);
    const z = zlib.deflateSync(raw);
    const rec = Buffer.alloc(12);
    rec.writeUInt32LE(offset, 0);
    rec.writeUInt32LE(z.length, 4);
    rec.writeUInt32LE(raw.length, 8);
    bzs.push(rec);
    bzz.push(z);
    offset += z.length;
  }
  for (const [ext, parts] of [['bzs', bzs], ['bzz', bzz], ['bzv', bzv]] as const) fs.writeFileSync(path.join(root, dataPath, `nt.${ext}`), Buffer.concat(parts));
}

describe('SWORD zText reader', () => {
  const entries = [
    '', 'module-intro', '<div type="book" osisID="Jude" sID="b1"/>', '<chapter osisID="Jude.1" sID="Jude.1"/>',
    'Jude, a servant.', '', '<w lemma="strong:G1">Mercy</w><note placement="foot">a note</note><w>to</w> you, peace.',
    '<div type="book" osisID="Rev" sID="b2"/>', '<chapter osisID="Rev.1" sID="Rev.1"/>', 'The revelation.',
    '<chapter osisID="Rev.2" sID="Rev.2"/>', '<title>Heading</title>To the angel &amp; church. <div eID="b2" type="book"/> Glossary text',
  ];

  it('reads entries across blocks and keys verses by their chapter milestones', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-sword-'));
    try {
      writeModule(root, 'test', entries, 5);
      expect(readZText(path.join(root, 'modules/texts/ztext/test'), 'nt')).toEqual(entries);
      const mod = readSwordModule(root, 'test');
      expect(mod.conf).toMatchObject({ name: 'test', ModDrv: 'zText', Description: 'Test' });
      expect([...mod.verses.keys()]).toEqual(['Jude.1.1', 'Jude.1.3', 'Rev.1.1', 'Rev.2.1']);
      expect([...mod.verses.values()].map(osisToText)).toEqual(['Jude, a servant.', 'Mercy to you, peace.', 'The revelation.', 'To the angel & church.']);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it('parses conf continuation lines and versesOf needs no versification table', () => {
    expect(parseSwordConf('[M]\nAbout=one \\\n two\nLang=en\n')).toEqual({ name: 'M', About: 'one two', Lang: 'en' });
    expect(versesOf(['', '', '<chapter sID="Gen.1"/>', 'a', 'b'])).toEqual(new Map([['Gen.1.1', 'a'], ['Gen.1.2', 'b']]));
  });
});

describe('loadParallelBible', () => {
  it('finds the Debian modules (apt-get install sword-text-web sword-text-sparv)', () => {
    expect(installed).toBe(true);
  });

  (installed ? it : it.skip)('aligns 30,497 English–Spanish verse pairs split 24,397 / 3,049 / 3,051', () => {
    const parts = (['train', 'val', 'test'] as const).map((split) => loadParallelBible({ split }));
    expect(parts.map((p) => p.refs.length)).toEqual([24397, 3049, 3051]);
    expect(PARALLEL_BIBLE_SIZE).toBe(30497);
    const refs = new Set(parts.flatMap((p) => p.refs));
    expect(refs.size).toBe(30497);
    // 66 books, no deuterocanon (the RV1909 has none), no chapter whose Spanish verses are shifted.
    expect(new Set([...refs].map((r) => r.split('.')[0])).size).toBe(66);
    for (const shifted of ['Num.13.1', 'Jonah.2.1', 'Hos.12.1', '1Sam.24.1', 'Job.39.1']) expect(refs.has(shifted)).toBe(false);
    const [train, , test] = parts;
    expect(train.sourceLang).toBe('en');
    expect(train.targetLang).toBe('es');
    const pair = (ref: string) => {
      for (const p of parts) {
        const i = p.refs.indexOf(ref);
        if (i >= 0) return [p.source[i], p.target[i]];
      }
      return undefined;
    };
    expect(pair('Gen.1.1')).toEqual(['In the beginning, God created the heavens and the earth.', 'EN el principio crió Dios los cielos y la tierra.']);
    expect(pair('John.11.35')).toEqual(['Jesus wept.', 'Y lloró Jesús.']);
    // Back matter after Revelation 22:21 (the WEB glossary) is cut.
    expect(pair('Rev.22.21')).toEqual(['The grace of the Lord Jesus Christ be with all the saints. Amen.', 'La gracia de nuestro Señor Jesucristo sea con todos vosotros. Amén.']);
    // Plain text: no markup left, mean verse lengths close in both languages.
    const all = parts.flatMap((p) => [...p.source, ...p.target]);
    expect(all.filter((t) => /[<>]/.test(t))).toEqual([]);
    const mean = (xs: string[]) => xs.reduce((s, t) => s + t.length, 0) / xs.length;
    expect(mean(train.source)).toBeGreaterThan(110);
    expect(mean(train.target) / mean(train.source)).toBeGreaterThan(0.9);
    expect(mean(train.target) / mean(train.source)).toBeLessThan(1.1);
    expect(sha256(test.refs.join('\n'))).toBe('fca957e7ceb7600421114dbc491183cd1f8f71acf06ff49576cbfcb169252597');
    expect(sha256(test.source.join('\n'))).toBe('e42b0c563a3caacc0fb3e2461904fbb8eba8cab649cf4e98d2046678fa8af66f');
    expect(sha256(test.target.join('\n'))).toBe('29d78c8cf229b5d8fa5f43baf0ca31e4f20e58dffce67da6286bac0c96b89edc');
  });

  (installed ? it : it.skip)('caches the aligned pairs with a checksum; cached and parsed loads agree', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-bible-cache-'));
    try {
      const usual = loadParallelBible({ split: 'val' });
      const first = loadParallelBible({ split: 'val', cacheDir });
      const entry = fs.readFileSync(path.join(cacheDir, 'parallel-bible-en-es.v1.json'), 'utf8');
      const head = JSON.parse(entry.slice(0, entry.indexOf('\n')));
      expect(head.sources).toHaveLength(14);
      expect(head.sha256).toBe(crypto.createHash('sha256').update(entry.slice(entry.indexOf('\n') + 1)).digest('hex'));
      expect(first).toEqual(usual);
    } finally {
      fs.rmSync(cacheDir, { recursive: true });
    }
  });

  it('names the apt-get command when a module is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-bible-'));
    try {
      expect(() => loadParallelBible({ split: 'test', dir: empty })).toThrow(
        `loadParallelBible: ${path.join(empty, 'mods.d', 'engWEB2015eb.conf')} is missing; install the data set with: apt-get install sword-text-web`,
      );
      expect(() => loadParallelBible({ split: 'dev' as 'val' })).toThrow(`loadParallelBible: split must be 'train', 'val' or 'test', got "dev"`);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
