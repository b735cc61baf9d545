import { detokenize, gptDemo, GPT_CHECKPOINT, loadGptCheckpoint } from './gpt';

describe('demo gpt', () => {
  it('joins tokens into readable text', () => {
    expect(detokenize(['in', 'the', 'beginning', ',', 'god', 'said', ',', '“', 'let', 'there', 'be', 'light', '.', '”', '<eos>', 'and'])).toBe('in the beginning, god said, “let there be light.” / and');
  });

  it('loads the committed Bible GPT and continues a prompt reproducibly', async () => {
    const { model, vocab } = loadGptCheckpoint(GPT_CHECKPOINT);
    expect(vocab.size).toBe(model.config.vocabSize);
    expect(model.numParameters()).toBeGreaterThan(100_000);
    model.dispose();
    const lines: string[] = [];
    const [a] = await gptDemo({ backend: 'cpu', texts: ['and god said'], maxNewTokens: 8, print: (l) => lines.push(l) });
    const [b] = await gptDemo({ backend: 'cpu', texts: ['and god said'], maxNewTokens: 8, print: () => undefined });
    expect(a).toEqual(b);
    expect(a.greedy.split(' ').length).toBeGreaterThanOrEqual(4);
    expect(lines.some((l) => l.startsWith('greedy:'))).toBe(true);
    expect(() => loadGptCheckpoint('/nonexistent.safetensors')).toThrow('checkpoint /nonexistent.safetensors is missing');
  });
});
