/**
 * Demo `gpt`: text generation with a small GPT trained on the English Bible (WEB). It loads the
 * committed checkpoint packages/nlp/fixtures/gpt/gpt-bible-small.safetensors (the GPT recipe's
 * model, with its vocabulary in the metadata); `--epochs N` instead trains a fresh model for N·100
 * steps first. The prompt comes from the command line (`pnpm demo gpt "and god said"`), default
 * "In the beginning". It prints a greedy continuation and two seeded top-k samples.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendName, init, io } from '@neuralzoo/core';
import { osisToText, readSwordModule, SWORD_DIR } from '@neuralzoo/datasets';
import { buildLmCorpus, generate, GPT, GPT_BIBLE_RECIPE, GptConfig, lmTokenize, splitByChapter, trainGptLm, Vocab } from '@neuralzoo/nlp';

export interface GptDemoOptions {
  /** TF.js backend. Default 'wasm'. */
  backend?: BackendName;
  /** Train a fresh model for epochs·100 steps instead of loading the checkpoint. */
  epochs?: number;
  /** Prompts; default ['In the beginning']. */
  texts?: string[];
  /** New tokens per continuation. Default 30. */
  maxNewTokens?: number;
  /** Checkpoint file. Default the committed one. */
  checkpoint?: string;
  print?: (line: string) => void;
}

/** The committed checkpoint of the GPT recipe. */
export const GPT_CHECKPOINT = path.join(path.dirname(require.resolve('@neuralzoo/nlp/package.json')), 'fixtures/gpt/gpt-bible-small.safetensors');

/** Joins tokens into text: no space before closing punctuation or after opening quotes. */
export function detokenize(tokens: string[]): string {
  let out = '';
  for (const t of tokens) {
    if (t === '<eos>') out += ' /';
    else if (!out || /^[.,;:!?’”)]/.test(t) || /[“‘(]$/.test(out)) out += t;
    else out += ` ${t}`;
  }
  return out.trim();
}

/** Loads a GPT and its vocabulary from a safetensors checkpoint written by the LM runner (`--save`). */
export function loadGptCheckpoint(file: string): { model: GPT; vocab: Vocab } {
  if (!fs.existsSync(file)) throw new Error(`gpt demo: checkpoint ${file} is missing; run with --epochs N to train one`);
  const { tensors, metadata } = io.parseSafetensors(new Uint8Array(fs.readFileSync(file)), file);
  const config = JSON.parse(metadata.config) as GptConfig;
  const vocab = new Vocab(JSON.parse(metadata.vocab) as string[]);
  const model = new GPT(config);
  model.loadStateDict(tensors);
  Object.values(tensors).forEach((t) => t.dispose());
  return { model: model.eval(), vocab };
}

export async function gptDemo(opts: GptDemoOptions = {}): Promise<{ greedy: string; samples: string[] }[]> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const info = await init({ backend: opts.backend ?? 'wasm' });
  print(`backend: ${info.name}`);
  let model: GPT;
  let vocab: Vocab;
  if (opts.epochs) {
    const verses = [...readSwordModule(SWORD_DIR, 'engWEB2015eb').verses].map(([ref, osis]) => ({ ref, text: osisToText(osis).replace(/\s+/g, ' ').trim() })).filter((v) => v.text);
    const corpus = buildLmCorpus(splitByChapter(verses), { vocabSize: GPT_BIBLE_RECIPE.vocabSize });
    const steps = opts.epochs * 100;
    print(`training a GPT for ${steps} steps on the WEB train split (${corpus.train.length} tokens)…`);
    const run = trainGptLm(corpus, { ...GPT_BIBLE_RECIPE, steps }, (i, loss) => i % 50 === 0 && print(`  step ${i} loss ${loss.toFixed(3)}`));
    print(`test perplexity ${run.result.testPerplexity.toFixed(1)} (${run.result.seconds.toFixed(0)} s)`);
    model = run.model.eval();
    vocab = corpus.vocab;
  } else {
    ({ model, vocab } = loadGptCheckpoint(opts.checkpoint ?? GPT_CHECKPOINT));
    print(`loaded ${path.basename(opts.checkpoint ?? GPT_CHECKPOINT)}: ${model.numParameters().toLocaleString('en-US')} parameters, vocabulary ${vocab.size}`);
  }
  const prompts = opts.texts?.length ? opts.texts : ['In the beginning'];
  const n = opts.maxNewTokens ?? 30;
  const results = [];
  for (const prompt of prompts) {
    const ids = vocab.encode(lmTokenize(prompt));
    const ctx = ids.length ? ids : [vocab.eosId];
    const show = (out: number[]) => detokenize(vocab.decode(out, { skipSpecial: false }));
    const greedy = show(generate(model, ctx, model.config.nPositions, { maxNewTokens: n, strategy: 'greedy' }));
    const samples = [1, 2].map((seed) => show(generate(model, ctx, model.config.nPositions, { maxNewTokens: n, topK: 40, temperature: 0.8, seed })));
    print(`\nprompt: ${prompt}`);
    print(`greedy:                 ${greedy}`);
    samples.forEach((s, i) => print(`top-40, T 0.8, seed ${i + 1}: ${s}`));
    results.push({ greedy, samples });
  }
  model.dispose();
  return results;
}
