/**
 * Node only (reads CMUdict and the SWORD Bibles through `@neuralzoo/datasets`; not exported from
 * the package entry): trains one sequence-pair recipe and prints its metric, wall time and backend
 * (the numbers of the nlp README).
 *   nice -n 10 node packages/nlp/dist/models/seq2seq/run-node.js <recipe> [--backend torch|wasm] [--threads N] [--seconds N] [--train N] [--save file]
 */
import * as fs from 'fs';
import { BackendName, init, io, manualSeed, nn, tf } from '@neuralzoo/core';
import { loadCmudict, loadParallelBible } from '@neuralzoo/datasets';
import { Vocab } from '../../text/index';
import { corpusBleu, phonemeErrorRate } from '../../metrics/index';
import { Seq2Seq } from './seq2seq';
import { detokenize, verseTokens } from './text';
import { greedyDecodeAll, PairModel, trainPairs } from './train';
import { SEQ2SEQ_G2P_RECIPE, SEQ2SEQ_TRANSLATION_RECIPE, Seq2SeqRecipe } from './recipe';
import type { StepDecoder } from '../../decode/index';
import { TransformerSeq2Seq } from '../transformer/transformer';
import { TRANSFORMER_G2P_RECIPE } from '../transformer/recipe';

const out = (s: string) => process.stdout.write(`${s}\n`);

interface Task {
  src: string[][];
  tgt: string[][];
  testSrc: string[][];
  testTgt: string[][];
  score(hyp: string[][], ref: string[][]): Record<string, number>;
  maxLength: number;
}

function g2pTask(trainSize: number, testSize: number): Task {
  const tr = loadCmudict({ split: 'train', stress: false });
  const te = loadCmudict({ split: 'test', stress: false });
  return {
    src: tr.words.slice(0, trainSize).map((w) => [...w]),
    tgt: tr.phonemes.slice(0, trainSize),
    testSrc: te.words.slice(0, testSize).map((w) => [...w]),
    testTgt: te.phonemes.slice(0, testSize),
    score: (h, r) => ({ per: phonemeErrorRate(h, r), wordAccuracy: h.filter((x, i) => x.join(' ') === r[i].join(' ')).length / h.length }),
    maxLength: 30,
  };
}


function translationTask(trainSize: number, testSize: number, maxWords: number): Task {
  const short = (set: { source: string[]; target: string[] }) => {
    const idx = set.source.map((_, i) => i).filter((i) => verseTokens(set.source[i]).length <= maxWords && verseTokens(set.target[i]).length <= maxWords);
    return { src: idx.map((i) => verseTokens(set.source[i])), tgt: idx.map((i) => verseTokens(set.target[i])) };
  };
  const tr = short(loadParallelBible({ split: 'train' }));
  const te = short(loadParallelBible({ split: 'test' }));
  return {
    src: tr.src.slice(0, trainSize),
    tgt: tr.tgt.slice(0, trainSize),
    testSrc: te.src.slice(0, testSize),
    testTgt: te.tgt.slice(0, testSize),
    score: (h, r) => ({ bleu: corpusBleu(h.map(detokenize), r.map(detokenize)).score }),
    maxLength: maxWords + 5,
  };
}

interface Runner {
  recipe: Seq2SeqRecipe;
  task(trainSize: number, testSize?: number): Task;
  minFreq: number;
  build(srcV: number, tgtV: number, recipe: Seq2SeqRecipe): PairModel & StepDecoder;
}

const s2s = (s: number, t: number, r: Seq2SeqRecipe) => new Seq2Seq({ srcVocabSize: s, tgtVocabSize: t, ...r.model });

export const SEQ2SEQ_RUNNERS: Record<string, Runner> = {
  g2p_gru_attention: { recipe: SEQ2SEQ_G2P_RECIPE, task: (n, m) => g2pTask(n, m ?? 12501), minFreq: 1, build: s2s },
  g2p_transformer: {
    recipe: TRANSFORMER_G2P_RECIPE as unknown as Seq2SeqRecipe,
    task: (n, m) => g2pTask(n, m ?? 12501),
    minFreq: 1,
    build: (s, t, r) => new TransformerSeq2Seq({ srcVocabSize: s, tgtVocabSize: t, ...(r.model as object) }),
  },
  translate_gru_attention: { recipe: SEQ2SEQ_TRANSLATION_RECIPE, task: (n, m) => translationTask(n, m ?? 1000, SEQ2SEQ_TRANSLATION_RECIPE.maxWords ?? 20), minFreq: 2, build: s2s },
  translate_gru: {
    recipe: { ...SEQ2SEQ_TRANSLATION_RECIPE, model: { ...SEQ2SEQ_TRANSLATION_RECIPE.model, attention: 'none' } },
    task: (n, m) => translationTask(n, m ?? 1000, SEQ2SEQ_TRANSLATION_RECIPE.maxWords ?? 20),
    minFreq: 2,
    build: s2s,
  },
};

export async function main(argv: string[], runners: Record<string, Runner> = SEQ2SEQ_RUNNERS): Promise<void> {
  const name = argv[0];
  if (!name || !(name in runners)) throw new Error(`usage: run-node <${Object.keys(runners).join('|')}> [--backend B] [--seconds N] [--train N] [--test N] [--save file]`);
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const threads = flag('--threads') ? Number(flag('--threads')) : undefined;
  const info = await init({ backend: (flag('--backend') ?? 'wasm') as BackendName, ...(threads ? { threads } : {}) });
  const r = runners[name];
  const recipe = { ...r.recipe, ...(flag('--seconds') ? { maxSeconds: Number(flag('--seconds')) } : {}), ...(flag('--train') ? { trainSize: Number(flag('--train')) } : {}) };
  const task = r.task(recipe.trainSize, flag('--test') ? Number(flag('--test')) : undefined);
  const srcVocab = Vocab.build(task.src, { minFreq: r.minFreq, maxSize: recipe.maxVocab });
  const tgtVocab = Vocab.build(task.tgt, { minFreq: r.minFreq, maxSize: recipe.maxVocab });
  manualSeed(recipe.seed);
  const model = r.build(srcVocab.size, tgtVocab.size, recipe);
  out(`${name}: backend ${info.name} (${info.threads} threads); ${task.src.length} train pairs, ${task.testSrc.length} test; vocab ${srcVocab.size} -> ${tgtVocab.size}; ${model.numParameters()} parameters`);
  const t0 = Date.now();
  const src = task.src.map((s) => srcVocab.encode(s));
  const tgt = task.tgt.map((t) => tgtVocab.encode(t, { addBos: true, addEos: true }));
  const res = trainPairs(model, src, tgt, {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    lr: recipe.optimizer.lr,
    warmupSteps: recipe.warmupSteps,
    seed: recipe.seed,
    maxSeconds: recipe.maxSeconds,
    onStep: (i, loss) => i % 25 === 0 && out(`  step ${i} loss ${loss.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
  });
  const t1 = Date.now();
  const hyp = greedyDecodeAll(model, task.testSrc.map((s) => srcVocab.encode(s)), { bos: tgtVocab.bosId, eos: tgtVocab.eosId, maxLength: task.maxLength });
  const scores = task.score(hyp.map((h) => tgtVocab.decode(h)), task.testTgt);
  const evalSeconds = (Date.now() - t1) / 1000;
  out(`${name}: ${Object.entries(scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}; ${res.steps} steps, train ${res.seconds.toFixed(0)} s + eval ${evalSeconds.toFixed(0)} s on ${info.name}; final loss ${res.loss.toFixed(3)}`);
  for (let i = 0; i < 3; i++) out(`  ${task.testSrc[i].join(' ')} -> ${tgtVocab.decode(hyp[i]).join(' ')} (ref ${task.testTgt[i].join(' ')})`);
  out(JSON.stringify({ name, backend: info.name, ...scores, steps: res.steps, trainSeconds: res.seconds, evalSeconds, trainPairs: task.src.length, testPairs: task.testSrc.length, params: model.numParameters() }));
  const save = flag('--save');
  if (save) {
    const sd = model.stateDict();
    fs.writeFileSync(save, io.serializeSafetensors(sd, { recipe: name, config: JSON.stringify((model as unknown as { config: unknown }).config), srcVocab: JSON.stringify(srcVocab.toJSON()), tgtVocab: JSON.stringify(tgtVocab.toJSON()) }));
    out(`saved ${save}`);
  }
  (model as nn.Module).dispose();
  void tf;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
