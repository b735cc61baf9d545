import { loadTranslator, translate, translateDemo, TRANSLATE_CHECKPOINT } from './translate';
import * as fs from 'fs';

describe('demo translate', () => {
  it('ships a checkpoint under 3 MB that loads and translates deterministically', async () => {
    expect(fs.statSync(TRANSLATE_CHECKPOINT).size).toBeLessThan(3 * 1024 * 1024);
    const t = loadTranslator();
    expect(t.model.config.attention).not.toBe('none');
    const es = translate(t, 'And God said to Moses,');
    expect(es.length).toBeGreaterThan(0);
    expect(es.split(/\s+/).every((w) => w.length > 0)).toBe(true);
    expect(translate(t, 'And God said to Moses,')).toBe(es);
    expect(translate(t, '   ')).toBe('');
    t.model.dispose();
    const lines: string[] = [];
    const out = await translateDemo({ backend: 'cpu', texts: ['Jesus wept.'], print: (l) => lines.push(l) });
    expect(out).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('es: '))).toBe(true);
  });

  it('names the command that makes a missing checkpoint', () => {
    expect(() => loadTranslator('/nonexistent/x.safetensors')).toThrow('translate: checkpoint /nonexistent/x.safetensors is missing; train one with: nice -n 10 node packages/nlp/dist/models/seq2seq/run-node.js translate_gru_attention --save');
  });
});
