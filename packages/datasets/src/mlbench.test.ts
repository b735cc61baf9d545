import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMlbench, MLBENCH_DATA_DIR } from './mlbench';
import { readRData } from './rdata';
import { xzDecompress } from './xz';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(path.join(MLBENCH_DATA_DIR, 'LetterRecognition.rda'));
const maybe = installed ? it : it.skip;
const splits = ['train', 'val', 'test'] as const;

/** 4,765 bytes of repetitive text then 600 pseudo-random bytes (an LCG), as compressed below by xz-utils. */
function sample(): Buffer {
  let s = '';
  for (let i = 0; i < 300; i++) s += ['the cat sat on the mat. ', 'neural zoo ', 'abcabcabc ', 'xz '][i % 4] + ((i * 7919) % 1000) + ' ';
  const rnd: number[] = [];
  let x = 12345;
  for (let i = 0; i < 600; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    rnd.push(x >>> 24);
  }
  return Buffer.concat([Buffer.from(s), Buffer.from(rnd)]);
}
// xz -6 (CRC32 check) and xz --check=crc64 --lzma2=preset=1,lc=0,lp=2,pb=0 of sample().
const XZ_DEFAULT = '/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4BT0BNNdADoaCM52SWIfg2g/87WjVLSNa82ZVwyeLa37M5gbGBn6CYtfz764Q5LHnl4EK+P+Q8+RTc7WIHh5SDkrOs8LNIxA7WmpcQziiLEyHwiVOnFVglJxBOSHqxNWeVrNsuKHTiV3vUO3/cAnXA+RjFwjoPRiqz5DlS380/BNUGW/+D8qzM+x7ZAWncj1PgAAtTLc8ra5z3s7pUJ6Lka46uvvV8sseW9sTM0vqljE+r/MCBObo3ESzaYlVHdxxHaPOj9Cbe6Z9d6AK/RdjT62auT+xJj0gznhgddkFp+AeIX/hkqP9wBbJTcBBYs+QvyVfjKGakKCl/8n2NHYEG0kDkKdHeO/HMiWK58tVAu5mFNwc4/dt26E1PdpEpgomaM9C5V2s70WUn8/hl6gJ4fZpNwiFPjAFMDSMvq1Udwozp/3B8gJHU5LA9LB7W+m94NlYo6KikShtiw63lx7VmzYkEiKfug5q2Hy/x9xdmxQVGntPKd39AuL4C3GnUjOHsQAiCNzh4X/ZmhxRM47bS7R6+PAK1yzgx4vlcK/vrD1VoIG2/LD7qazAEQ+x3lghqk/rxLbUtWQcdAp6OfPzlg5NVqzC0L/llvGCq2dlXpj8oSbHW+hczTkw9lQG/FTX+iKiwiElLly8ZM/eJoITL6eRgajPqubrlVMz6XfT2+7ggHReUaGhJ4/WziuQNaLZDEcE2NDHf9br2zy6WcQzaMnUG3yRafreCMddd5L4v610/dLzsEgM/qd5/kU3nil//QRSsn9ioqCNmpGzAZrrur5ufnsNRMgX/OzdUtWZTPswvCVHLz3/pILEOx1+1V8wLQV61c77NivT/lpRgX1cMABOFkCAXjOWMc1nCzQEdUeU4ERQCiYOQpdAcK1Tnp5WEU8emFAM33biIDFADQSDAap9G91Dn6CJN4S4Jg45GXp4VQxbUHn/PsSbvXuSq1MAKmYhLgdXsmkoGfYXWGkPmkBT24OQrXeBCmPLdtwXeSvWCZHxb+oTpiScr9Sl65ln+w+KJ9k5rrsMSfED3mAdQelUJVmnGLXAi8QXfI77xQNFdVS3SrMAZvs+CZ8sC/PquSB3UFE5O/P6FgJUwRM+xGtEjvK6y2vAcCjfRA7qPNmg+oRrWFxmtFsq+nkHguhNjh+R7p9JfBH8/zH2EBAFjm4ul+fGb9Sii0ZjnDqyhAYyp+bB0AgtN3/CEKsQFSd+61Yqg02jCQ/D1JS8Cm12HwTNYK0bKjORr+rHUnURxGVqBpQ93osBA4bncP4eTeO2qrgwiBp8Ttz9Gy4Xq3RpYGjXHtQm/NaV+vRtahZX+PDr6aSJ/9guIZl+QGVue4qAlHoQZPl7oGrrzstT8dMxTUHRe9bZhzDdn3ed7gz/11eVo+gkodN1AZBmvZ7a6m57MMzXsLPqA2y9RfX5ovnSyKEjV6dnp1OuLkDRZdzOQbS600GPSg3+QQAwyJVCMRlpdiWffvuKXXnU7FRYTzXnHMch7IHZxFnrOVeFZOrB2WA2GKURCpzGT19d8lbMStMC85I21GjzGF4BdI0B0deoONc2v2We6aEY1Vp2Zx4ABgUP/Ifm/a6Qka0Aa+GuuCKhT3/R4mpZoew0iGfgrHJW4OTW19WX14rNYycZfaRGWgm+yUnK/PrEI1uAABKOUoDX8Z+7QAB7wn1KQAAAYRzr7HEZ/sCAAAAAARZWg==';
const XZ_LP2 = '/Td6WFoAAATm1rRGAgAhARAAAACocI6G4BT0BQMSADoa2dRzlI/fNburVRp8tfkbtJh3Hn/aGsaR5URM+9Hytldbn1UTQKA20vM1vY0HFI2jg8ra3lu5QBWIsc4gjF5YRKp/PEuYRXXsl3R8jmElpo6uqXbk/N0iTgrs8Z3cyP9saWbd1dsLgI/OhndkhGlTlETo0/XodrXoSEXXBnt6+7UqsH44p9HamuftxZAwDBoZ7wnvP5aCmxHgMmrE8D1BDw986jvCGyXJ2i9Jv4tzwBaTVl/RMZqVighgzxvb1ad2/7b6MQoSd8PSrDqvZZEG9arMp7ewnRGtvNwE/FgvlD3feBJqEv9zKi7evo5nqe/6h5QQOhhEvFb4qPkjDUA8Lm8AevnY6rOC6B1xirrSaxrrPOjTrT66Iucys1alfF63A1X5auV4ne/h+U2qzjejlVpul6vESedv3dhqOSu6fF479fhu+fsYgzArW+tF8WlL45cN7xKftrzFzGo/6ylwewp917IKAZ4zo837t7fH/muLbmJGzYyOD7wuzGfsCp+TUTSepIUFiOqaUEbq0JrA132lpGMyTQrma2ozP5V4m0e/e3o8ms0BNQK2NJ5rL54NzCXz06ztITZDm4qGDos+DXpsHStsTo8edTBc5fPJaXHXaUQADNUtgJNM72D5TItR9kO37Kj39NnsFOGoXxVPGCedy0yeN1coQ/3t9DIij84Bx+gTII8KHwA4xjEo2ZMZffCo1gQwcH9jrOZ3CE6ObnhoczzIe/r+rDqDFACgDSjDNj1f8r3+eh1dWiVmAqt8QVfdD6VG9t1FSKV1MdypQdEKRb4XCb/zB/+cx0mBYDQZySzjbZmKCdJ0Dh2SKAMsFJkb32HuK5WUXsR8OBizWOEGfSeXoMwZGkf1rZ6h9SfkHgxP8+TvvPNTmNqJaOEh9pENjZWCta52ZqektErfIE+pNzmJW0GB/Va6/l/AjArUGLHW8beVn0avZKAzfjnbFZTKpEJDsLsZnsphT1fS41uCz6NO3MHHfbicYQYWcsORTbhTNZlYJgGtANpKhFBYqhnerSHk57H960pCCX4Pycl1oqWAu25HMeQsO2Hgm7x0aj2TYrEBpz4w8rPLo8QlweHXtiYpnM3RDIX0anxZrsUbYYjTKcdTBhNTVft68ZSsLNvwPL9wRyzXZBgOnPljKdouaXndtJKa3SYAVtbFRgQtzRvVQCd1mnLKt3HXY6a7W6V7sFYbuye7+Bt/URmCt9/AXRya8PSArVxRLb4L+tJbzMgAh+uf2ksIzfQrxzkiU0WgPvkvBBWJX9tJlwxyHX+a8QGvSvsX39r1Z8d+N/LbosTCRA51Lj+BtrlrX51KGzNOxrL+tpmezQZZSaSX5avdfXKQVzFNqkmX9xO+C1FqlCZF7yEB/AGgnltYrg+xhw95hvM0oCYQ01wIsL6k7nP23q22QMe51ntoHoKurNAJUuriweODXWSd33EbIVWKKRewKUeKO0G/e6yMCwVbW9dq5yvgACYVhcrSBFvp4mgUbjN62gqWTVwLeZNXwkq3xg0vbKQSMX6OMsrMYZf5Z6adBBfPQ7kRvJEPPIntJMWLBCKRr/RlnYQLmpJZdBTwwiUBNr/k0lxul822sC6gmcKrwZ6MN6OPAIYYTaOa56ze4Zhfa1D14DzyY66LAg16LxiPH7zamTniaVeCHRvN3hLdTup1jZys9LsNm6QafdEL87dPDIclrMHoY+IabnAAAABKOUoDX8Z+7QABnwr1KQAAEPPx47HEZ/sCAAAAAARZWg==';

describe('xzDecompress', () => {
  it('decodes xz-utils output with default and unusual LZMA properties', () => {
    const expected = sample();
    expect(sha256(expected)).toBe('4d34f347834611a1623738673450a87f0470082210819ffb16161eae16b9c352');
    expect(Buffer.from(xzDecompress(Buffer.from(XZ_DEFAULT, 'base64'))).equals(expected)).toBe(true);
    expect(Buffer.from(xzDecompress(Buffer.from(XZ_LP2, 'base64'))).equals(expected)).toBe(true);
  });

  it('rejects data that is not xz', () => {
    expect(() => xzDecompress(Buffer.from('hello'))).toThrow('xzDecompress: not an xz stream (bad magic bytes)');
  });

  maybe('decompresses the mlbench files byte-exact (checksums of xz -d)', () => {
    const raw = xzDecompress(fs.readFileSync(path.join(MLBENCH_DATA_DIR, 'LetterRecognition.rda')));
    expect(raw.length).toBe(2640839);
    expect(sha256(raw)).toBe('92844a4562cfe66720dea2b19f30cf83c155dec85c96a20f041f3e4e6db01c61');
    expect(Object.keys(readRData(path.join(MLBENCH_DATA_DIR, 'Glass.rda')))).toEqual(['Glass']);
  });
});

describe('loadMlbench (Debian r-cran-mlbench)', () => {
  it('finds the Debian package (apt-get install r-cran-mlbench)', () => {
    expect(installed).toBe(true);
  });

  maybe('LetterRecognition: 20,000 × 16, 26 letters, split 15,989 / 1,987 / 2,024', () => {
    const p = splits.map((split) => loadMlbench({ name: 'LetterRecognition', split }));
    expect(p.map((s) => s.shape)).toEqual([[15989, 16], [1987, 16], [2024, 16]]);
    expect(p[0].classes.join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const a = p.reduce((s, x) => s + x.labels.filter((l) => l === 0).length, 0);
    expect(a).toBe(789);
    // Features are the UCI integer attributes 0–15.
    expect(p[2].features.every((v) => Number.isInteger(v) && v >= 0 && v <= 15)).toBe(true);
    expect(sha256(p[2].labels)).toBe('57932195ff55232f8c0833568e920ef18be4ee79947d916235dbd0a05d0dcedc');
  });

  maybe('counts of the other sets after dropping incomplete rows', () => {
    const size = (name: Parameters<typeof loadMlbench>[0]['name']) => splits.map((split) => loadMlbench({ name, split }).shape[0]).reduce((a, b) => a + b);
    expect(size('Shuttle')).toBe(58000);
    expect(size('Satellite')).toBe(6435);
    expect(size('Vehicle')).toBe(846);
    expect(size('Glass')).toBe(214);
    expect(size('Sonar')).toBe(208);
    expect(size('PimaIndiansDiabetes')).toBe(768);
    // BreastCancer: 699 biopsies, 16 with a missing bare-nuclei score; scores 1–10 as numbers.
    expect(size('BreastCancer')).toBe(683);
    const bc = loadMlbench({ name: 'BreastCancer', split: 'train' });
    expect(bc.featureNames).not.toContain('Id');
    expect([Math.min(...bc.features), Math.max(...bc.features)]).toEqual([1, 10]);
    expect(bc.classes).toEqual(['benign', 'malignant']);
  });

  it('names the apt-get command when files are missing, and rejects unknown sets', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-mlbench-'));
    try {
      expect(() => loadMlbench({ name: 'Glass', split: 'val', dir: empty })).toThrow(`loadMlbench: ${path.join(empty, 'Glass.rda')} is missing; install the data set with: apt-get install r-cran-mlbench`);
      expect(() => loadMlbench({ name: 'Iris' as 'Glass', split: 'val' })).toThrow('loadMlbench: name must be one of LetterRecognition, Shuttle');
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
