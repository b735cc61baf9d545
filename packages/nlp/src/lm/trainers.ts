/**
 * The two LM training schemes of the recipes: random fixed windows for n-gram neural models
 * (NNLM, LBL) and truncated BPTT over contiguous rows for recurrent models (RNNLM, LSTM LM), both
 * with Adam, global-norm clipping and cosine decay to 10 % of the learning rate.
 */
import { manualSeed, nn, optim, Parameter, tf } from '@neuralzoo/core';
import { batchify, bpttWindows, ngramContexts, randomPositions } from './batching';
import type { LmCorpus } from './corpus';
import { RecurrentLm, recurrentPerplexity, sumNll, WindowLm, windowPerplexity } from './perplexity';
import type { LmRecipe, LmRunResult } from './recipe';
import { trainSteps } from './train';

/**
 * Adam wrapped so that each step first sets lr · (0.1 + 0.45 (1 + cos(π step / steps))).
 * `lrScale` multiplies that lr for the parameters whose names start with a key (first match; e.g.
 * `{ 'rnn.': 0.5 }`); the others use 1.
 */
export function cosineAdam(model: nn.Module, lr: number, steps: number, lrScale: Readonly<Record<string, number>> = {}): { step(): void; zeroGrad(): void } {
  const prefixes = Object.keys(lrScale);
  const groups = new Map<number, Parameter[]>();
  for (const [name, p] of model.namedParameters()) {
    const key = prefixes.find((k) => name.startsWith(k));
    const scale = key === undefined ? 1 : lrScale[key];
    if (!(scale > 0)) throw new Error(`cosineAdam: lrScale['${key}'] must be > 0, got ${scale}`);
    groups.set(scale, [...(groups.get(scale) ?? []), p]);
  }
  for (const k of prefixes)
    if (![...model.namedParameters()].some(([name]) => name.startsWith(k))) throw new Error(`cosineAdam: no parameter name starts with '${k}' (lrScale)`);
  const scales = [...groups.keys()];
  const opt = new optim.Adam(scales.map((s) => ({ params: groups.get(s)!, lr: lr * s })), { lr });
  let i = 0;
  return {
    step: () => {
      opt.paramGroups.forEach((g, j) => (g.lr = scales[j] * lr * (0.1 + 0.45 * (1 + Math.cos((Math.PI * i) / steps)))));
      opt.step();
      i++;
    },
    zeroGrad: () => opt.zeroGrad(),
  };
}

/** Trains a window model on random positions of the train split; scores valid and test at every position. */
export function trainWindowLm<M extends nn.Module & WindowLm>(
  model: M,
  context: number,
  corpus: LmCorpus,
  recipe: LmRecipe,
  onStep?: (step: number, loss: number) => void,
): LmRunResult {
  const start = Date.now();
  const lr = Number(recipe.optimizer.lr);
  const B = recipe.batchSize;
  const padId = corpus.vocab.eosId; // a context before the stream start reads as the end of a verse
  const trainLoss = trainSteps({
    model,
    optimizer: cosineAdam(model, lr, recipe.steps),
    steps: recipe.steps,
    clipNorm: recipe.clipNorm,
    onStep,
    loss: () => {
      const { contexts, targets } = ngramContexts(corpus.train, context, randomPositions(B, 0, corpus.train.length), padId);
      return tf.div(sumNll(model.forward(tf.tensor2d(contexts, [B, context], 'int32')), tf.tensor1d(targets, 'int32')), B);
    },
  });
  const valid = windowPerplexity(model, corpus.valid, context, { padId });
  const test = windowPerplexity(model, corpus.test, context, { padId });
  return { testPerplexity: test.perplexity, validPerplexity: valid.perplexity, trainLoss, trainTokens: recipe.steps * B, seconds: (Date.now() - start) / 1000 };
}

/**
 * Truncated BPTT: the train split is cut into batchSize contiguous rows and read in windows of
 * seqLen tokens, the state carried from window to window without gradient (and reset when the
 * rows wrap around). Valid and test are read the same way (8 rows) with the state carried.
 */
export function trainRecurrentLm<S, M extends nn.Module & RecurrentLm<S>>(
  model: M,
  disposeState: (s: S) => void,
  corpus: LmCorpus,
  recipe: LmRecipe,
  onStep?: (step: number, loss: number) => void,
): LmRunResult {
  const start = Date.now();
  manualSeed(recipe.seed);
  const lr = Number(recipe.optimizer.lr);
  const batched = batchify(corpus.train, recipe.batchSize);
  let windows = bpttWindows(batched, recipe.seqLen);
  let state: S | null = null;
  let tokens = 0;
  const trainLoss = trainSteps({
    model,
    optimizer: cosineAdam(model, lr, recipe.steps, recipe.lrScale),
    steps: recipe.steps,
    clipNorm: recipe.clipNorm,
    onStep,
    loss: () => {
      let next = windows.next();
      if (next.done) {
        windows = bpttWindows(batched, recipe.seqLen);
        next = windows.next();
        if (state) disposeState(state);
        state = null;
      }
      const w = next.value!;
      tokens += w.x.length;
      const prev: S | null = state;
      const [logits, s] = model.forward(tf.tensor2d(w.x, [w.rows, w.len], 'int32'), prev);
      // The carried state is a constant for the next window: truncated backpropagation.
      state = keepDetached(s);
      if (prev) disposeState(prev);
      return tf.div(sumNll(logits, tf.tensor2d(w.y, [w.rows, w.len], 'int32')), w.x.length);
    },
  });
  if (state) disposeState(state);
  const valid = recurrentPerplexity(model, corpus.valid, { batchSize: 8, bptt: recipe.seqLen, disposeState });
  const test = recurrentPerplexity(model, corpus.test, { batchSize: 8, bptt: recipe.seqLen, disposeState });
  return { testPerplexity: test.perplexity, validPerplexity: valid.perplexity, trainLoss, trainTokens: tokens, seconds: (Date.now() - start) / 1000 };
}

/** A copy of a (nested) state that survives the enclosing tidy and carries no gradient. */
function keepDetached<S>(s: S): S {
  if (s instanceof tf.Tensor) return tf.keep(tf.clone(s)) as S;
  if (Array.isArray(s)) return s.map((x) => keepDetached(x)) as S;
  return s;
}
