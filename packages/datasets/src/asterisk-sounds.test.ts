import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { ASTERISK_SOUNDS_DIR, decodeWav, loadAsteriskSounds, spokenDigits, spokenLetters } from './asterisk-sounds';

// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(path.join(ASTERISK_SOUNDS_DIR, 'digits', '0.wav'));
const maybe = installed ? it : it.skip;

describe('loadAsteriskSounds', () => {
  it('finds the Debian package (apt-get install asterisk-core-sounds-en-wav)', () => {
    expect(installed).toBe(true);
  });

  maybe('decodes the 568 prompts: 12,229,778 samples (25.5 min) at 8 kHz', () => {
    const all = loadAsteriskSounds();
    expect(all.names).toHaveLength(568);
    expect(all.sampleRate).toBe(8000);
    const counts: Record<string, number> = {};
    for (const c of all.categories) counts[c] = (counts[c] ?? 0) + 1;
    expect(counts).toEqual({ '': 358, dictate: 12, digits: 94, followme: 6, letters: 61, phonetic: 27, silence: 10 });
    expect(all.waveforms.reduce((s, w) => s + w.length, 0)).toBe(12229778);
    const h = crypto.createHash('sha256');
    for (const w of all.waveforms) h.update(Buffer.from(w.buffer, w.byteOffset, w.byteLength));
    expect(h.digest('hex')).toBe('3c5e7bd1936b7b76dfeb561422d632e8e27162651818cb8cfe4381c3c0ea197b');
    expect(all.names.slice(0, 2)).toEqual(['activated', 'added']);
    // The silence prompts are (nearly) silent; speech is not.
    const rms = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(rms(all.waveforms[all.names.indexOf('silence/1')])).toBeLessThan(0.01);
    expect(rms(all.waveforms[all.names.indexOf('digits/7')])).toBeGreaterThan(0.03);
  });

  maybe('picks the spoken digits and letters with labels', () => {
    const digits = spokenDigits();
    expect(digits.names).toEqual(Array.from({ length: 10 }, (_, d) => `digits/${d}`));
    expect(Array.from(digits.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Each digit is a short word: 0.5–1.2 s.
    for (const w of digits.waveforms) {
      expect(w.length).toBeGreaterThan(4000);
      expect(w.length).toBeLessThan(9600);
    }
    const letters = spokenLetters();
    expect(letters.classes.join('')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(letters.names[25]).toBe('letters/z');
    expect(loadAsteriskSounds({ categories: ['phonetic'] }).names).toHaveLength(27);
  });

  it('decodes 16-bit mono PCM exactly and rejects other formats', () => {
    const pcm = Int16Array.from([0, 16384, -32768, 32767, -1]);
    const wav = new WaveFile();
    wav.fromScratch(1, 16000, '16', pcm);
    const out = decodeWav(wav.toBuffer());
    expect(out.sampleRate).toBe(16000);
    expect(Array.from(out.samples)).toEqual([0, 0.5, -1, 32767 / 32768, -1 / 32768]);
    const stereo = new WaveFile();
    stereo.fromScratch(2, 8000, '16', [Int16Array.from([1, 2]), Int16Array.from([3, 4])]);
    expect(() => decodeWav(stereo.toBuffer(), 's.wav')).toThrow('decodeWav: s.wav is format 1, 16-bit, 2 channel(s); expected 16-bit PCM mono');
  });

  it('names the apt-get command when the prompts are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-asterisk-'));
    try {
      expect(() => loadAsteriskSounds({ dir: empty })).toThrow(
        `loadAsteriskSounds: ${path.join(empty, 'digits', '0.wav')} is missing; install the data set with: apt-get install asterisk-core-sounds-en-wav`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
