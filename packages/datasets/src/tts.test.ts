import { spawnSync } from 'child_process';
import { loadTtsDigits, synthesizeSpeech } from './tts';

// CI installs espeak-ng (.ci/run); the tests say so plainly when it is missing.
const installed = spawnSync('espeak-ng', ['--version']).status === 0;
const maybe = installed ? it : it.skip;
const rms = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);

describe('espeak-ng speech (synthetic)', () => {
  it('finds espeak-ng (apt-get install espeak-ng)', () => {
    expect(installed).toBe(true);
  });

  maybe('renders text at 22,050 Hz, slower speech lasting longer', () => {
    const fast = synthesizeSpeech('the quick brown fox', { rate: 300 });
    const slow = synthesizeSpeech('the quick brown fox', { rate: 100 });
    expect(fast.sampleRate).toBe(22050);
    expect(slow.samples.length).toBeGreaterThan(1.8 * fast.samples.length);
    expect(rms(slow.samples)).toBeGreaterThan(0.02);
    // Same input, same output: the synthesiser is deterministic.
    expect(synthesizeSpeech('seven').samples).toEqual(synthesizeSpeech('seven').samples);
    expect(synthesizeSpeech('-1').samples.length).toBeGreaterThan(2000);
  });

  maybe('renders the ten digits per voice, rate and pitch, labelled synthetic', () => {
    const set = loadTtsDigits({ voices: ['en-us', 'en-gb+f2'], rates: [175], pitches: [50] });
    expect(set.synthetic).toBe(true);
    expect(set.waveforms).toHaveLength(20);
    expect(Array.from(set.labels)).toEqual([...Array(10).keys(), ...Array(10).keys()]);
    expect(set.voices.slice(9, 11)).toEqual(['en-us', 'en-gb+f2']);
    for (const w of set.waveforms) {
      expect(w.length / set.sampleRate).toBeGreaterThan(0.2);
      expect(w.length / set.sampleRate).toBeLessThan(1.5);
    }
    // Different voices give different audio for the same word.
    expect(set.waveforms[7]).not.toEqual(set.waveforms[17]);
  });

  it('rejects bad options and names the install command when espeak-ng is missing', () => {
    expect(() => synthesizeSpeech('x', { rate: 10 })).toThrow('synthesizeSpeech: rate must be 80–450 words per minute, got 10');
    expect(() => synthesizeSpeech('x', { command: 'espeak-ng-not-here' })).toThrow('synthesizeSpeech: espeak-ng-not-here is not installed; install it with: apt-get install espeak-ng');
  });
});
