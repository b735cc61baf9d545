/**
 * SYNTHETIC speech from the local speech synthesiser espeak-ng (Debian package `espeak-ng`,
 * run as a child process; nothing leaves the machine): `synthesizeSpeech` renders any text to a
 * waveform, `loadTtsDigits` renders the ten English digit words over a grid of voices, voice
 * variants, speaking rates and pitches — a keyword-spotting set with speaker variety. Results
 * are labelled `synthetic: true`: report accuracies on them as synthetic speech.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeWav } from './asterisk-sounds';

export interface SpeechOptions {
  /** espeak-ng voice, optionally with a variant: `en-us`, `en-gb+f2`. Default `en-us`. */
  voice?: string;
  /** Words per minute (espeak-ng -s, 80–450). Default 175. */
  rate?: number;
  /** Pitch 0–99 (espeak-ng -p). Default 50. */
  pitch?: number;
  /** The espeak-ng executable. Default `espeak-ng` on PATH. */
  command?: string;
}

/** Renders `text` with espeak-ng: mono samples in [-1, 1) at its sample rate (22,050 Hz). */
export function synthesizeSpeech(text: string, opts: SpeechOptions = {}): { samples: Float32Array; sampleRate: number } {
  const { voice = 'en-us', rate = 175, pitch = 50, command = 'espeak-ng' } = opts;
  if (!Number.isFinite(rate) || rate < 80 || rate > 450) throw new Error(`synthesizeSpeech: rate must be 80–450 words per minute, got ${rate}`);
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 99) throw new Error(`synthesizeSpeech: pitch must be an integer 0–99, got ${pitch}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-tts-'));
  try {
    const file = path.join(dir, 'out.wav');
    // `--` ends the options so that text starting with '-' is spoken, not parsed.
    const run = spawnSync(command, ['-v', voice, '-s', String(Math.round(rate)), '-p', String(pitch), '-w', file, '--', text], { encoding: 'utf8' });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`synthesizeSpeech: ${command} is not installed; install it with: apt-get install espeak-ng`);
    if (run.status !== 0 || !fs.existsSync(file)) throw new Error(`synthesizeSpeech: ${command} -v ${voice} failed (exit ${run.status}): ${(run.stderr ?? '').trim()}`);
    return decodeWav(fs.readFileSync(file), `${command} output for ${JSON.stringify(text)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The digit words, in label order. */
export const TTS_DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export interface TtsDigitsOptions {
  /** Voices (with optional variants). Default five English accents × three variants (15). */
  voices?: string[];
  /** Speaking rates (wpm). Default [130, 175, 220]. */
  rates?: number[];
  /** Pitches. Default [35, 65]. */
  pitches?: number[];
  command?: string;
}

/** Spoken digits: `waveforms[i]` says `classes[labels[i]]` in voice `voices[i]`. */
export interface TtsDigitSet {
  waveforms: Float32Array[];
  sampleRate: number;
  labels: Int32Array;
  classes: string[];
  voices: string[];
  rates: Int32Array;
  pitches: Int32Array;
  /** Always true: generated speech. */
  synthetic: true;
}

const DEFAULT_VOICES = ['en-us', 'en-gb', 'en-gb-scotland', 'en-029', 'en-gb-x-rp'].flatMap((v) => [v, `${v}+f2`, `${v}+m3`]);

/**
 * SYNTHETIC: renders the ten digit words for every voice × rate × pitch (default 15 × 3 × 2 =
 * 90 per digit, 900 clips; each clip costs one espeak-ng run, ~50 ms). Order: voice, rate,
 * pitch, digit. Hold out whole voices to test on unseen speakers.
 */
export function loadTtsDigits(opts: TtsDigitsOptions = {}): TtsDigitSet {
  const { voices = DEFAULT_VOICES, rates = [130, 175, 220], pitches = [35, 65], command } = opts;
  const out: TtsDigitSet = { waveforms: [], sampleRate: 0, labels: new Int32Array(0), classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], voices: [], rates: new Int32Array(0), pitches: new Int32Array(0), synthetic: true };
  const labels: number[] = [];
  const rs: number[] = [];
  const ps: number[] = [];
  for (const voice of voices)
    for (const rate of rates)
      for (const pitch of pitches)
        TTS_DIGIT_WORDS.forEach((word, d) => {
          const { samples, sampleRate } = synthesizeSpeech(word, { voice, rate, pitch, command });
          if (out.sampleRate && sampleRate !== out.sampleRate) throw new Error(`loadTtsDigits: voice ${voice} renders at ${sampleRate} Hz, others at ${out.sampleRate}`);
          out.sampleRate = sampleRate;
          out.waveforms.push(samples);
          out.voices.push(voice);
          labels.push(d);
          rs.push(rate);
          ps.push(pitch);
        });
  out.labels = Int32Array.from(labels);
  out.rates = Int32Array.from(rs);
  out.pitches = Int32Array.from(ps);
  return out;
}
