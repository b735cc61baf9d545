/**
 * Demo `fill-mask` (alias `bert`): a small BERT pretrained by MLM + NSP on the English Bible (WEB)
 * fills the `[MASK]` of a sentence. Its weights, config and WordPiece vocabulary ship as
 * `apps/demos/assets/bert-bible-small.safetensors` (< 5 MB; written by
 * `node packages/nlp/scripts/train-bert.js --out …`). The sentence comes from the command line
 * (`pnpm demo fill-mask "and god [MASK] the light"`), default `FILL_MASK_DEFAULT`; it prints the
 * top-5 fillers of each mask with their probabilities.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendName, init, io } from '@neuralzoo/core';
import { BertConfig, BertForPreTraining, FillMaskCandidate, fillMask, WordPieceTokenizer } from '@neuralzoo/nlp';

export interface FillMaskDemoOptions {
  /** TF.js backend. Default 'wasm'. */
  backend?: BackendName;
  /** Sentences with [MASK]; default [FILL_MASK_DEFAULT]. */
  texts?: string[];
  /** Fillers per mask. Default 5. */
  topK?: number;
  /** Checkpoint file. Default the committed one. */
  checkpoint?: string;
  print?: (line: string) => void;
}

/** The committed checkpoint of the BERT pretraining recipe. */
export const FILL_MASK_CHECKPOINT = path.join(__dirname, '..', 'assets', 'bert-bible-small.safetensors');
/** The default sentence (after the Gospels' calls of the disciples, e.g. Matthew 4:19). */
export const FILL_MASK_DEFAULT = 'And Jesus [MASK] to them, “Follow me.”';

/** Loads the pretrained BERT and its WordPiece tokenizer from a checkpoint written by train-bert.js. */
export function loadFillMask(file: string = FILL_MASK_CHECKPOINT): { model: BertForPreTraining; tokenizer: WordPieceTokenizer } {
  if (!fs.existsSync(file)) throw new Error(`fill-mask: checkpoint ${file} is missing; train one with: nice -n 10 node packages/nlp/scripts/train-bert.js --pretrain-only --out ${file}`);
  const { tensors, metadata } = io.parseSafetensors(new Uint8Array(fs.readFileSync(file)), file);
  const model = new BertForPreTraining(JSON.parse(metadata.config) as BertConfig);
  model.loadStateDict(tensors);
  Object.values(tensors).forEach((t) => t.dispose());
  return { model: model.eval(), tokenizer: WordPieceTokenizer.fromJSON(metadata.tokenizer) };
}

export async function fillMaskDemo(opts: FillMaskDemoOptions = {}): Promise<FillMaskCandidate[][][]> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const info = await init({ backend: opts.backend ?? 'wasm' });
  print(`backend: ${info.name}`);
  const file = opts.checkpoint ?? FILL_MASK_CHECKPOINT;
  const { model, tokenizer } = loadFillMask(file);
  print(`loaded ${path.basename(file)}: ${model.numParameters().toLocaleString('en-US')} parameters, ${tokenizer.vocab.size} word pieces`);
  const texts = opts.texts?.length ? opts.texts : [FILL_MASK_DEFAULT];
  const results: FillMaskCandidate[][][] = [];
  try {
    for (const text of texts) {
      const out = fillMask(model, tokenizer, text, opts.topK ?? 5);
      print(`\n${text}`);
      out.forEach((list, m) => {
        if (out.length > 1) print(`  mask ${m + 1}:`);
        for (const c of list) print(`  ${c.token.padEnd(14)} ${(100 * c.probability).toFixed(1).padStart(5)}%`);
      });
      results.push(out);
    }
  } finally {
    model.dispose();
  }
  return results;
}
