/**
 * Real recorded speech: the English prompts of the Asterisk PBX (voice "Allison", en_US, 16-bit
 * PCM at 8 kHz mono), from the Debian package `asterisk-core-sounds-en-wav` (1.6.1), installed
 * under /usr/share/asterisk/sounds/en_US_f_Allison/: 568 WAV files in 7 folders (358 at the top,
 * dictate 12, digits 94, followme 6, letters 61, phonetic 27, silence 10). Decoded with `wavefile`.
 *
 * Labels come from the file names: `name` is the path without `.wav` (`digits/7`, `letters/q`,
 * `phonetic/q_p`, `vm-goodbye`) and `category` its folder (`''` at the top). The prompts are all
 * different, so there is no train/test split; `spokenDigits` and `spokenLetters` pick the
 * classification-ready subsets (one recording per class: for keyword templates, augmentation
 * demos and testing audio pipelines, not for measuring accuracy).
 */
import * as fs from 'fs';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { aptHint, requireFile } from './common';

/** Where `apt-get install asterisk-core-sounds-en-wav` puts the prompts. */
export const ASTERISK_SOUNDS_DIR = '/usr/share/asterisk/sounds/en_US_f_Allison';
/** Sample rate of every prompt (Hz). */
export const ASTERISK_SAMPLE_RATE = 8000;

/** Variable-length mono recordings with their names. */
export interface AudioSet {
  /** One Float32Array per recording, samples in [-1, 1). */
  waveforms: Float32Array[];
  /** Sample rate in Hz (all recordings share it). */
  sampleRate: number;
  /** File path relative to the data folder, without `.wav`. */
  names: string[];
  /** Folder of each recording ('' for the top level). */
  categories: string[];
}

export interface LoadAsteriskSoundsOptions {
  /** Keep only these folders (e.g. ['digits', 'letters']; '' is the top level). Default: all. */
  categories?: string[];
  /** Directory of the prompts. Default /usr/share/asterisk/sounds/en_US_f_Allison. */
  dir?: string;
}

/** Decodes a 16-bit PCM mono WAV file to floats in [-1, 1) (value / 32768), checking its format. */
export function decodeWav(bytes: Uint8Array, what = 'WAV data'): { samples: Float32Array; sampleRate: number } {
  const wav = new WaveFile(bytes);
  const fmt = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
  if (fmt.audioFormat !== 1 || fmt.bitsPerSample !== 16 || fmt.numChannels !== 1)
    throw new Error(`decodeWav: ${what} is format ${fmt.audioFormat}, ${fmt.bitsPerSample}-bit, ${fmt.numChannels} channel(s); expected 16-bit PCM mono`);
  // wavefile's getSamples unpacks sample by sample (slow); the data chunk is little-endian int16.
  const raw = (wav.data as { samples: Uint8Array }).samples;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const samples = new Float32Array(raw.byteLength >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true) / 32768;
  return { samples, sampleRate: fmt.sampleRate };
}

/**
 * Loads the Asterisk English prompts (Debian `asterisk-core-sounds-en-wav`), sorted by name.
 */
export function loadAsteriskSounds(opts: LoadAsteriskSoundsOptions = {}): AudioSet {
  const dir = opts.dir ?? ASTERISK_SOUNDS_DIR;
  requireFile('loadAsteriskSounds', path.join(dir, 'digits', '0.wav'), aptHint('asterisk-core-sounds-en-wav'));
  const names: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.wav')) names.push(r.slice(0, -4));
    }
  };
  walk('');
  names.sort();
  const out: AudioSet = { waveforms: [], sampleRate: ASTERISK_SAMPLE_RATE, names: [], categories: [] };
  for (const name of names) {
    const category = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
    if (opts.categories && !opts.categories.includes(category)) continue;
    const file = path.join(dir, `${name}.wav`);
    const { samples, sampleRate } = decodeWav(fs.readFileSync(file), file);
    if (sampleRate !== ASTERISK_SAMPLE_RATE) throw new Error(`loadAsteriskSounds: ${file} is sampled at ${sampleRate} Hz, expected ${ASTERISK_SAMPLE_RATE}`);
    out.waveforms.push(samples);
    out.names.push(name);
    out.categories.push(category);
  }
  return out;
}

/** The spoken digits 0–9 (`digits/0` … `digits/9`): `labels[i]` is the digit. */
export function spokenDigits(opts: { dir?: string } = {}): AudioSet & { labels: Int32Array; classes: string[] } {
  const all = loadAsteriskSounds({ ...opts, categories: ['digits'] });
  const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const keep = classes.map((c) => all.names.indexOf(`digits/${c}`));
  return pick(all, keep, classes);
}

/** The spoken letters a–z (`letters/a` … `letters/z`): `labels[i]` is the letter's index. */
export function spokenLetters(opts: { dir?: string } = {}): AudioSet & { labels: Int32Array; classes: string[] } {
  const all = loadAsteriskSounds({ ...opts, categories: ['letters'] });
  const classes = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
  const keep = classes.map((c) => all.names.indexOf(`letters/${c}`));
  return pick(all, keep, classes);
}

function pick(all: AudioSet, keep: number[], classes: string[]): AudioSet & { labels: Int32Array; classes: string[] } {
  const missing = keep.map((k, c) => (k < 0 ? classes[c] : null)).filter((c) => c !== null);
  if (missing.length) throw new Error(`loadAsteriskSounds: recordings missing for ${missing.join(', ')}`);
  return {
    waveforms: keep.map((k) => all.waveforms[k]),
    sampleRate: all.sampleRate,
    names: keep.map((k) => all.names[k]),
    categories: keep.map((k) => all.categories[k]),
    labels: Int32Array.from(keep, (_, c) => c),
    classes,
  };
}
