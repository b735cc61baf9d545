import * as fs from 'fs';
import { FILL_MASK_CHECKPOINT, fillMaskDemo, loadFillMask } from './fill-mask';

describe('demo fill-mask', () => {
  it('ships a BERT under 5 MB that fills the default sentence with sorted top-5 probabilities', async () => {
    expect(fs.statSync(FILL_MASK_CHECKPOINT).size).toBeLessThan(5 * 1024 * 1024);
    const lines: string[] = [];
    const [[top]] = await fillMaskDemo({ backend: 'cpu', print: (l) => lines.push(l) });
    expect(lines[1]).toMatch(/^loaded bert-bible-small\.safetensors: 954,786 parameters, 4000 word pieces$/);
    expect(top).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(top[i].probability).toBeLessThanOrEqual(top[i - 1].probability);
    const sum = top.reduce((a, c) => a + c.probability, 0);
    expect(sum).toBeLessThanOrEqual(1);
    expect(top[0].probability).toBeGreaterThan(0.3); // far above uniform (1 / 4,000)
    expect(top.every((c) => c.id >= 7 && !c.token.startsWith('<'))).toBe(true); // never a special token
    // The committed checkpoint (3,000 steps, held-out MLM accuracy 30.4%) fills the verb: 'said' (61.9%).
    expect(top[0].token).toBe('said');
    expect(top.map((c) => c.token)).toContain('answered');
    expect(lines.filter((l) => /%$/.test(l))).toHaveLength(5);
  });

  it('names the command that makes a missing checkpoint', () => {
    expect(() => loadFillMask('/nonexistent/b.safetensors')).toThrow('fill-mask: checkpoint /nonexistent/b.safetensors is missing; train one with: nice -n 10 node packages/nlp/scripts/train-bert.js');
  });
});
