/**
 * Demo `translate`: English → Spanish with the small attention GRU seq2seq trained by the nlp
 * recipe `translate_gru_attention` on short verses of the aligned Bibles (WEB → Reina-Valera 1909).
 * Its weights and vocabularies ship as `apps/demos/assets/translate-en-es.safetensors` (< 3 MB),
 * so the demo needs no training and no data set. The sentence comes from the command line
 * (`pnpm demo translate "In the beginning God created the heavens"`) or is read line by line.
 * A tiny CPU-trained model: expect Bible-flavoured, often wrong Spanish (see the nlp README's BLEU).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { BackendName, init, io, tf } from '@neuralzoo/core';
import { beamSearch, detokenize, Seq2Seq, verseTokens, Vocab } from '@neuralzoo/nlp';
import type { Seq2SeqConfig } from '@neuralzoo/nlp';

/** The committed checkpoint (next to src/ and dist/). */
export const TRANSLATE_CHECKPOINT = path.join(__dirname, '..', 'assets', 'translate-en-es.safetensors');

export interface Translator {
  model: Seq2Seq;
  src: Vocab;
  tgt: Vocab;
}

/** Loads model and vocabularies from a checkpoint written by the recipe runner (`--save`). */
export function loadTranslator(file: string = TRANSLATE_CHECKPOINT): Translator {
  if (!fs.existsSync(file)) throw new Error(`translate: checkpoint ${file} is missing; train one with: nice -n 10 node packages/nlp/dist/models/seq2seq/run-node.js translate_gru_attention --save ${file}`);
  const { tensors, metadata } = io.parseSafetensors(fs.readFileSync(file), file);
  for (const k of ['config', 'srcVocab', 'tgtVocab']) if (!metadata[k]) throw new Error(`translate: ${file} has no '${k}' metadata`);
  const model = new Seq2Seq(JSON.parse(metadata.config) as Seq2SeqConfig);
  model.loadStateDict(tensors);
  tf.dispose(Object.values(tensors));
  model.eval();
  return { model, src: Vocab.fromJSON(metadata.srcVocab), tgt: Vocab.fromJSON(metadata.tgtVocab) };
}

/** English sentence -> Spanish (beam search of 4, GNMT length penalty 0.6, at least one token); '' -> ''. */
export function translate(t: Translator, sentence: string, maxLength = 30): string {
  const ids = t.src.encode(verseTokens(sentence));
  if (ids.length === 0) return '';
  const x = tf.tensor2d([ids], [1, ids.length], 'int32');
  const [[best]] = beamSearch(t.model, x, { bos: t.tgt.bosId, eos: t.tgt.eosId, maxLength, minLength: 1, beamSize: 4, lengthPenalty: 0.6 });
  x.dispose();
  return detokenize(t.tgt.decode(best.tokens));
}

export interface TranslateDemoOptions {
  backend?: BackendName;
  /** Sentences; none = read lines from stdin until an empty line or end of input. */
  texts?: string[];
  print?: (line: string) => void;
}

export async function translateDemo(opts: TranslateDemoOptions = {}): Promise<string[]> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  await init({ backend: opts.backend ?? 'wasm' });
  const t = loadTranslator();
  print(`model: ${t.model.numParameters()} parameters, vocabularies ${t.src.size} (en) / ${t.tgt.size} (es)`);
  const out: string[] = [];
  const show = (s: string) => {
    const es = translate(t, s);
    out.push(es);
    print(`en: ${s}`);
    print(`es: ${es}`);
  };
  if (opts.texts && opts.texts.length) opts.texts.forEach(show);
  else {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    print('type an English sentence (empty line to stop):');
    for await (const line of rl) {
      if (!line.trim()) break;
      show(line.trim());
    }
    rl.close();
  }
  t.model.dispose();
  return out;
}
