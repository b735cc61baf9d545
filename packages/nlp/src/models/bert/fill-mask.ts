/**
 * Fill-mask with a pretrained BertForPreTraining: the text's `[MASK]` markers become the
 * vocabulary's mask token, the rest is cut into word pieces, and each mask gets the top-k pieces
 * of the MLM softmax.
 */
import { tf } from '@neuralzoo/core';
import type { WordPieceTokenizer } from '../../text/wordpiece';
import type { BertForPreTraining } from './bert';

/** The marker users write for a masked word (case-insensitive). */
export const MASK_MARKER = '[MASK]';

/** One candidate for a masked position. */
export interface FillMaskCandidate {
  token: string;
  id: number;
  /** Softmax probability over the whole vocabulary. */
  probability: number;
}

/** [CLS] pieces… [MASK] … [SEP] ids of `text`, and where its masks are. */
export function encodeMasked(tokenizer: WordPieceTokenizer, text: string): { ids: number[]; maskPositions: number[] } {
  const v = tokenizer.vocab;
  const parts = text.split(/\[mask\]/i);
  const ids = [v.clsId];
  const maskPositions: number[] = [];
  parts.forEach((part, i) => {
    ids.push(...tokenizer.encode(part));
    if (i < parts.length - 1) {
      maskPositions.push(ids.length);
      ids.push(v.maskId);
    }
  });
  ids.push(v.sepId);
  return { ids, maskPositions };
}

/**
 * Top-`topK` fillers for each `[MASK]` of `text` (one list per mask, best first). Special tokens
 * are never proposed. Throws when the text has no mask or is longer than the model reads.
 */
export function fillMask(model: BertForPreTraining, tokenizer: WordPieceTokenizer, text: string, topK = 5): FillMaskCandidate[][] {
  const { ids, maskPositions } = encodeMasked(tokenizer, text);
  if (!maskPositions.length) throw new Error(`fillMask: the text has no ${MASK_MARKER}: ${JSON.stringify(text)}`);
  const P = model.config.maxPositionEmbeddings;
  if (ids.length > P) throw new Error(`fillMask: the text is ${ids.length} word pieces with [CLS]/[SEP], more than maxPositionEmbeddings (${P})`);
  const v = tokenizer.vocab;
  const wasTraining = model.training;
  model.eval();
  const probs = tf.tidy(() => {
    const x = tf.tensor2d(ids, [1, ids.length], 'int32');
    const h = model.bert.forward(x).lastHiddenState;
    const logits = model.mlmLogitsAt(h, tf.tensor1d(maskPositions, 'int32')); // [M, V]
    const special = tf.tensor1d(Array.from({ length: v.size }, (_, i) => (i < v.numSpecial ? -1e9 : 0)));
    const p = tf.softmax(logits); // over the whole vocabulary
    return [p.arraySync() as number[][], tf.topk(tf.add(logits, special), topK).indices.arraySync() as number[][]] as const;
  });
  model.train(wasTraining);
  const [p, top] = probs;
  return top.map((row, m) => row.map((id) => ({ token: v.tokens()[id], id, probability: p[m][id] })));
}
