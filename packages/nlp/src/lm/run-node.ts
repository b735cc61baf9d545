/**
 * Node only: trains one LM or word-vector recipe on the Bible and prints its metric, wall time and
 * backend (the numbers of the package README).
 *   nice -n 10 node packages/nlp/dist/lm/run-node.js <recipe> [--backend torch|wasm|cpu] [--threads N] [--steps N] [--save file.safetensors]
 */
import * as fs from 'fs';
import { BackendName, init, io, nn } from '@neuralzoo/core';
import { loadBibleLm, loadWordNetSynsets } from './bible-node';
import type { WordVecRunResult } from './wordvec-recipe';
import { trainWord2Vec, WORD2VEC_BIBLE_RECIPES } from '../models/word2vec/recipe';
import { CW_BIBLE_RECIPE, trainCw } from '../models/cw/recipe';
import { ELMO_BIBLE_RECIPE, trainElmo } from '../models/elmo/recipe';
import type { LmCorpus } from './corpus';
import type { LmRecipe, LmRunResult } from './recipe';
import { GPT_BIBLE_RECIPE, trainGptLm } from '../models/gpt/recipe';
import { BIGRAM_KN_BIBLE_RECIPE, trainBigramLm } from '../models/ngram/recipe';
import { NNLM_BIBLE_RECIPE, trainNnlm } from '../models/nnlm/recipe';
import { LBL_BIBLE_RECIPE, trainLbl } from '../models/lbl/recipe';
import { RNNLM_BIBLE_RECIPE, trainRnnlm } from '../models/rnnlm/recipe';
import { LSTM_LM_BIBLE_RECIPE, trainLstmLm } from '../models/lstm-lm/recipe';

type Runner = (corpus: LmCorpus, steps: number | undefined, onStep: (i: number, loss: number) => void) => { model: nn.Module; result: LmRunResult };

const withSteps = <R extends LmRecipe>(recipe: R, steps?: number): R => (steps ? { ...recipe, steps } : recipe);

/** Recipe name -> runner. */
export const LM_RUNNERS: Record<string, { vocabSize: number; run: Runner }> = {
  bigram_kn: { vocabSize: BIGRAM_KN_BIBLE_RECIPE.vocabSize, run: (c) => trainBigramLm(c) },
  nnlm: { vocabSize: NNLM_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainNnlm(c, withSteps(NNLM_BIBLE_RECIPE, s), on) },
  lbl: { vocabSize: LBL_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainLbl(c, withSteps(LBL_BIBLE_RECIPE, s), on) },
  rnnlm: { vocabSize: RNNLM_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainRnnlm(c, withSteps(RNNLM_BIBLE_RECIPE, s), on) },
  lstm_lm: { vocabSize: LSTM_LM_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainLstmLm(c, withSteps(LSTM_LM_BIBLE_RECIPE, s), on) },
  elmo: { vocabSize: ELMO_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainElmo(c, withSteps(ELMO_BIBLE_RECIPE, s), on) },
  gpt: { vocabSize: GPT_BIBLE_RECIPE.vocabSize, run: (c, s, on) => trainGptLm(c, withSteps(GPT_BIBLE_RECIPE, s), on) },
};

type VecRunner = (corpus: LmCorpus, synsets: string[][], steps: number | undefined, onStep: (i: number, loss: number) => void) => { model: nn.Module; result: WordVecRunResult };
const vecSteps = <R extends { steps: number }>(recipe: R, steps?: number): R => (steps ? { ...recipe, steps } : recipe);

/** Word-vector recipe name -> runner (metric: WordNet synonym ROC AUC). */
export const VEC_RUNNERS: Record<string, { vocabSize: number; run: VecRunner }> = {
  cw: { vocabSize: CW_BIBLE_RECIPE.vocabSize, run: (c, w, s, on) => trainCw(c, w, vecSteps(CW_BIBLE_RECIPE, s), on) },
  ...Object.fromEntries(
    (['sgns', 'sghs', 'cbowns', 'cbowhs'] as const).map((k) => [`word2vec_${k}`, { vocabSize: WORD2VEC_BIBLE_RECIPES[k].vocabSize, run: ((c, w, s, on) => trainWord2Vec(c, w, vecSteps(WORD2VEC_BIBLE_RECIPES[k], s), on)) as VecRunner }]),
  ),
};

async function main(argv: string[]): Promise<void> {
  const name = argv[0];
  if (!name || !(name in LM_RUNNERS || name in VEC_RUNNERS))
    throw new Error(`usage: run-node <${[...Object.keys(LM_RUNNERS), ...Object.keys(VEC_RUNNERS)].join('|')}> [--backend B] [--threads N] [--steps N] [--save file]`);
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const threads = flag('--threads') ? Number(flag('--threads')) : undefined;
  const info = await init({ backend: (flag('--backend') ?? 'wasm') as BackendName, ...(threads ? { threads } : {}) });
  const steps = flag('--steps') ? Number(flag('--steps')) : undefined;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (name in VEC_RUNNERS) {
    const vr = VEC_RUNNERS[name];
    const corpus = loadBibleLm({ vocabSize: vr.vocabSize });
    const synsets = loadWordNetSynsets();
    const t0 = Date.now();
    const { model, result } = vr.run(corpus, synsets, steps, (i, loss) => {
      if (i % 100 === 0) out(`  step ${i} loss ${loss.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    });
    out(`${name}: backend ${info.name} (${info.threads} threads)`);
    out(`${name}: synonym ROC AUC ${result.auc.toFixed(3)} over ${result.pairs} WordNet pairs (mean cosine ${result.meanSynonymCosine.toFixed(3)} vs ${result.meanRandomCosine.toFixed(3)} random); ${model.numParameters()} parameters; ${result.seconds.toFixed(0)} s on ${info.name}`);
    out(JSON.stringify({ name, backend: info.name, ...result }));
    return;
  }
  const runner = LM_RUNNERS[name];
  const corpus = loadBibleLm({ vocabSize: runner.vocabSize });
  out(`${name}: backend ${info.name} (${info.threads} threads); corpus train ${corpus.train.length} / valid ${corpus.valid.length} / test ${corpus.test.length} tokens, vocab ${corpus.vocab.size}`);
  const t0 = Date.now();
  const { model, result } = runner.run(corpus, steps, (i, loss) => {
    if (i % 50 === 0) out(`  step ${i} loss ${loss.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  });
  out(`${name}: test perplexity ${result.testPerplexity.toFixed(1)}, valid ${result.validPerplexity.toFixed(1)}, train loss ${result.trainLoss.toFixed(3)}; ${model.numParameters()} parameters, ${result.trainTokens} train tokens; ${result.seconds.toFixed(0)} s on ${info.name}`);
  out(JSON.stringify({ name, backend: info.name, ...result }));
  const save = flag('--save');
  if (save) {
    const sd = model.stateDict();
    fs.writeFileSync(save, io.serializeSafetensors(sd, { vocab: JSON.stringify(corpus.vocab.tokens()), config: JSON.stringify((model as unknown as { config?: unknown }).config ?? {}) }));
    out(`saved ${save}`);
  }
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
