import * as path from 'path';
import { backward, Generator, manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { Vocab } from '../../text/vocab';
import { WordPieceTokenizer } from '../../text/wordpiece';
import {
  BERT_DEFAULTS,
  BertForPreTraining,
  BertModel,
  bert,
  bertForPreTraining,
  bertForSequenceClassification,
  bertForTokenClassification,
  bucketedBatches,
  carveValidation,
  encodeMasked,
  fillMask,
  maskTokens,
  pretrainingBatch,
  warmupLinear,
} from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/bert');
const TINY = { vocabSize: 41, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 24, maxPositionEmbeddings: 12, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 };

function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}

describe('BERT', () => {
  it('uses Hugging Face BERT key names and layouts, with the MLM decoder tied to the word embeddings', () => {
    manualSeed(0);
    const m = bertForPreTraining(TINY);
    const sd = m.stateDict();
    const shapes = Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]));
    expect(shapes['bert.embeddings.word_embeddings.weight']).toEqual([41, 16]);
    expect(shapes['bert.embeddings.position_embeddings.weight']).toEqual([12, 16]);
    expect(shapes['bert.embeddings.token_type_embeddings.weight']).toEqual([2, 16]);
    expect(shapes['bert.embeddings.LayerNorm.weight']).toEqual([16]);
    expect(shapes['bert.encoder.layer.1.attention.self.query.weight']).toEqual([16, 16]);
    expect(shapes['bert.encoder.layer.1.attention.self.value.bias']).toEqual([16]);
    expect(shapes['bert.encoder.layer.0.attention.output.dense.weight']).toEqual([16, 16]);
    expect(shapes['bert.encoder.layer.0.attention.output.LayerNorm.bias']).toEqual([16]);
    expect(shapes['bert.encoder.layer.0.intermediate.dense.weight']).toEqual([24, 16]); // [out, in]
    expect(shapes['bert.encoder.layer.0.output.dense.weight']).toEqual([16, 24]);
    expect(shapes['bert.encoder.layer.0.output.LayerNorm.weight']).toEqual([16]);
    expect(shapes['bert.pooler.dense.weight']).toEqual([16, 16]);
    expect(shapes['cls.predictions.transform.dense.weight']).toEqual([16, 16]);
    expect(shapes['cls.predictions.transform.LayerNorm.weight']).toEqual([16]);
    expect(shapes['cls.predictions.bias']).toEqual([41]);
    expect(shapes['cls.seq_relationship.weight']).toEqual([2, 16]);
    expect(sd['cls.predictions.decoder.weight']).toBe(sd['bert.embeddings.word_embeddings.weight']);
    expect(sd['cls.predictions.decoder.bias']).toBe(sd['cls.predictions.bias']);
    expect(Object.keys(sd)).toHaveLength(5 + 2 * 16 + 2 + 4 + 1 + 2 + 2); // embeddings, 2 layers, pooler, transform, bias, NSP, tied decoder
    // Parameters: word/pos/type embeddings + LN, 2 × layer, pooler, transform, MLM bias, NSP (decoder shared).
    const layer = 3 * (16 * 16 + 16) + (16 * 16 + 16) + 32 + (16 * 24 + 24) + (24 * 16 + 16) + 32;
    expect(m.numParameters()).toBe(41 * 16 + 12 * 16 + 2 * 16 + 32 + 2 * layer + 272 + 272 + 32 + 41 + 34);
    // HF init: N(0, 0.02) weights, zero biases, padding row 0.
    const w = Array.from(sd['bert.encoder.layer.0.attention.self.query.weight'].dataSync());
    const std = Math.sqrt(w.reduce((a, x) => a + x * x, 0) / w.length);
    expect(std).toBeGreaterThan(0.014);
    expect(std).toBeLessThan(0.026);
    expect(Array.from(sd['bert.encoder.layer.0.attention.self.query.bias'].dataSync()).every((x) => x === 0)).toBe(true);
    expect(Array.from(sd['bert.embeddings.word_embeddings.weight'].slice([0, 0], [1, 16]).dataSync()).every((x) => x === 0)).toBe(true);
    // Token classification has no pooler (HF add_pooling_layer=False).
    const tok = bertForTokenClassification(TINY);
    expect(Object.keys(tok.stateDict()).some((k) => k.includes('pooler'))).toBe(false);
    expect(tok.stateDict()['classifier.weight'].shape).toEqual([2, 16]);
    [m, tok].forEach((x) => x.dispose());
  });

  it('matches the plain-torch HF BERT reference within 1e-4: hidden states, pooled, MLM and NSP logits, full and padded', () => {
    const fx = loadFixture(FIXTURES, 'bert_tiny');
    const cfg = fx.meta.config as Record<string, number>;
    const m = bertForPreTraining({
      vocabSize: cfg.vocab_size,
      hiddenSize: cfg.hidden_size,
      numHiddenLayers: cfg.num_hidden_layers,
      numAttentionHeads: cfg.num_attention_heads,
      intermediateSize: cfg.intermediate_size,
      maxPositionEmbeddings: cfg.max_position_embeddings,
      typeVocabSize: cfg.type_vocab_size,
      layerNormEps: cfg.layer_norm_eps,
      hiddenDropoutProb: 0,
      attentionProbsDropoutProb: 0,
    });
    const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('bert.') || k.startsWith('cls.')));
    expect(sd['cls.predictions.decoder.weight']).toBeDefined(); // torch's state dict carries the tied keys
    m.loadStateDict(sd);
    m.eval();
    for (const c of ['full', 'padded']) {
      const t = (k: string) => fx.tensors[`${c}.${k}`];
      const inputs = { tokenTypeIds: t('token_type_ids'), attentionMask: t('attention_mask') };
      const out = m.bert.forward(t('ids'), inputs);
      const pre = m.forward(t('ids'), inputs);
      expectClose(out.lastHiddenState, t('last_hidden_state'), { rtol: 1e-4, atol: 1e-4, what: `${c} last_hidden_state` });
      expectClose(out.poolerOutput!, t('pooler_output'), { rtol: 1e-4, atol: 1e-4, what: `${c} pooler_output` });
      expectClose(pre.predictionLogits, t('prediction_logits'), { rtol: 1e-4, atol: 1e-4, what: `${c} prediction_logits` });
      expectClose(pre.seqRelationshipLogits, t('seq_relationship_logits'), { rtol: 1e-4, atol: 1e-4, what: `${c} seq_relationship_logits` });
      tf.dispose([out.lastHiddenState, out.poolerOutput!, pre.predictionLogits, pre.seqRelationshipLogits]);
    }
    // The padded case really differs from the full one at the real tokens of row 1 (the mask matters).
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(fx.tensors['full.last_hidden_state'].slice([1, 0, 0], [1, 5, 16]), fx.tensors['padded.last_hidden_state'].slice([1, 0, 0], [1, 5, 16])))).dataSync()[0]);
    expect(d).toBeGreaterThan(1e-2);
    // Pretraining loss (MLM at labelled positions + NSP) and gradients.
    const p = (k: string) => fx.tensors[`padded.${k}`];
    m.zeroGrad();
    const loss = backward(() => m.pretrainingLoss(p('ids'), { tokenTypeIds: p('token_type_ids'), attentionMask: p('attention_mask') }, fx.tensors['loss.mlm_labels'], fx.tensors['loss.nsp_labels']).loss, m);
    expect(loss).toBeCloseTo(fx.meta.loss as number, 4);
    const params = Object.fromEntries(m.namedParameters());
    for (const k of ['bert.encoder.layer.0.attention.self.query.weight', 'bert.embeddings.word_embeddings.weight'])
      expectClose(params[k].grad!, fx.tensors[`grad.${k}`], { rtol: 1e-3, atol: 1e-5, what: `grad ${k}` });
    m.zeroGrad();
    // HF safetensors keep tied tensors once: a state dict without the decoder keys loads the same.
    const { ['cls.predictions.decoder.weight']: _w, ['cls.predictions.decoder.bias']: _b, ...noDecoder } = sd;
    const m2 = bertForPreTraining({ ...TINY, layerNormEps: 1e-12 });
    m2.loadStateDict({ ...noDecoder, 'bert.embeddings.position_ids': tf.range(0, 12, 1, 'int32').reshape([1, 12]) });
    const nsp2 = m2.eval().forward(p('ids'), { tokenTypeIds: p('token_type_ids'), attentionMask: p('attention_mask') });
    expectClose(nsp2.predictionLogits, p('prediction_logits'), { rtol: 1e-4, atol: 1e-4, what: 'logits without decoder keys' });
    // A sequence classifier takes the same `bert.*` keys.
    const clf = bertForSequenceClassification({ ...TINY, numLabels: 3 });
    clf.bert.loadStateDict(Object.fromEntries(Object.entries(sd).filter(([k]) => k.startsWith('bert.')).map(([k, v]) => [k.slice(5), v])));
    expect(clf.eval().forward(p('ids'), { attentionMask: p('attention_mask') }).shape).toEqual([2, 3]);
    tf.dispose([nsp2.predictionLogits, nsp2.seqRelationshipLogits]);
    [m, m2, clf].forEach((x) => x.dispose());
    fx.dispose();
  });

  it('padding never changes the outputs of real tokens (hidden states, pooled, token and sentence logits)', () => {
    manualSeed(1);
    const m = bertForPreTraining(TINY).eval();
    const alone = ids([[5, 9, 3, 17, 8]]);
    const padded = ids([
      [5, 9, 3, 17, 8, 0, 0, 0, 0],
      [7, 7, 2, 30, 11, 12, 13, 14, 15],
    ]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1]]);
    const a = m.bert.forward(alone);
    const b = m.bert.forward(padded, { attentionMask: mask });
    expectClose(b.lastHiddenState.slice([0, 0, 0], [1, 5, 16]), a.lastHiddenState, { rtol: 1e-5, atol: 1e-5, what: 'real tokens' });
    expectClose(b.poolerOutput!.slice([0, 0], [1, 16]), a.poolerOutput!, { rtol: 1e-5, atol: 1e-5, what: 'pooled' });
    // Different padding contents change nothing either; without the mask they do.
    const padded2 = ids([[5, 9, 3, 17, 8, 40, 1, 22, 0], [7, 7, 2, 30, 11, 12, 13, 14, 15]]);
    const c = m.bert.forward(padded2, { attentionMask: mask });
    expectClose(c.lastHiddenState.slice([0, 0, 0], [1, 5, 16]), a.lastHiddenState, { rtol: 1e-5, atol: 1e-5, what: 'other padding' });
    const nomask = m.bert.forward(padded2);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(nomask.lastHiddenState.slice([0, 0, 0], [1, 5, 16]), a.lastHiddenState))).dataSync()[0]);
    expect(diff).toBeGreaterThan(1e-3);
    const clf = bertForSequenceClassification(TINY).eval();
    const tok = bertForTokenClassification(TINY).eval();
    expectClose(clf.forward(padded, { attentionMask: mask }).slice([0, 0], [1, 2]), clf.forward(alone), { rtol: 1e-5, atol: 1e-5, what: 'sentence logits' });
    expectClose(tok.forward(padded, { attentionMask: mask }).slice([0, 0, 0], [1, 5, 2]), tok.forward(alone), { rtol: 1e-5, atol: 1e-5, what: 'token logits' });
    tf.dispose([alone, padded, padded2, mask, a.lastHiddenState, a.poolerOutput!, b.lastHiddenState, b.poolerOutput!, c.lastHiddenState, c.poolerOutput!, nomask.lastHiddenState, nomask.poolerOutput!]);
    [m, clf, tok].forEach((x) => x.dispose());
  });

  it("mean pooling: the classifier reads the masked mean of the last hidden states (no pooler), padding-invariant", () => {
    manualSeed(4);
    const clf = bertForSequenceClassification(TINY, { pooling: 'mean' }).eval();
    expect(clf.bert.pooler).toBeNull();
    expect(Object.keys(clf.stateDict()).some((k) => k.includes('pooler'))).toBe(false);
    const alone = ids([[5, 9, 3, 17, 8]]);
    const padded = ids([[5, 9, 3, 17, 8, 40, 1], [7, 7, 2, 30, 11, 12, 13]]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1]]);
    const h = clf.bert.forward(alone).lastHiddenState;
    const expected = tf.tidy(() => clf.classifier.forward(tf.mean(h, 1)));
    expectClose(clf.forward(alone), expected, { rtol: 1e-5, atol: 1e-6, what: 'mean-pooled logits' });
    expectClose(clf.forward(padded, { attentionMask: mask }).slice([0, 0], [1, 2]), expected, { rtol: 1e-5, atol: 1e-5, what: 'padded row' });
    expect(() => bertForSequenceClassification(TINY, { pooling: 'max' as 'mean' })).toThrow("BertForSequenceClassification: pooling must be 'cls' or 'mean', got 'max'");
    tf.dispose([alone, padded, mask, h, expected]);
    clf.dispose();
  });

  it('segment ids change the output; validates inputs and config with the numbers', () => {
    manualSeed(2);
    const m = bert(TINY).eval();
    const x = ids([[4, 5, 6]]);
    const a = m.forward(x).lastHiddenState;
    const b = m.forward(x, { tokenTypeIds: ids([[0, 1, 1]]) }).lastHiddenState;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeGreaterThan(1e-3);
    const long = tf.zeros([1, 13], 'int32');
    expect(() => m.forward(long)).toThrow('BertModel: sequence length 13 must be in [1, maxPositionEmbeddings = 12]');
    const badMask = tf.ones([1, 4]);
    expect(() => m.forward(x, { attentionMask: badMask })).toThrow('attentionMask must have the shape of the ids [1,3], got [1,4]');
    const fx = tf.zeros([1, 3]);
    expect(() => m.forward(fx)).toThrow('BertModel: expected int32 ids [batch, time], got float32 [1,3]');
    expect(() => bert({ hiddenSize: 30, numAttentionHeads: 4 })).toThrow('BERT: hiddenSize (30) must be divisible by numAttentionHeads (4)');
    expect(() => bert({ hiddenAct: 'swish' as 'gelu' })).toThrow("hiddenAct must be 'gelu', 'gelu_new' or 'relu', got 'swish'");
    const p = bertForPreTraining(TINY);
    const sd = Object.fromEntries(Object.entries(p.stateDict()).map(([k, v]) => [k, v.clone()]));
    const w = sd['cls.predictions.decoder.weight'];
    sd['cls.predictions.decoder.weight'] = tf.add(w, 1);
    expect(() => p.loadStateDict(sd)).toThrow('cls.predictions.decoder.weight differs from bert.embeddings.word_embeddings.weight');
    tf.dispose([a, b, x, long, badMask, fx, w, ...Object.values(sd)]);
    [m, p].forEach((q) => q.dispose());
  });

  it('masks 15% of real tokens, 80/10/10 [MASK]/random/kept, and builds [CLS] A [SEP] B [SEP] NSP pairs', () => {
    const gen = new Generator(0);
    const n = 20000;
    const orig = Int32Array.from({ length: n }, (_, i) => 10 + (i % 50));
    const x = orig.slice();
    const cand = Array.from({ length: n }, (_, i) => i % 10 !== 0); // every 10th position is special
    const labels = maskTokens(x, cand, 0.15, 4, 7, 60, gen);
    const chosen = [...labels.keys()].filter((i) => labels[i] !== -100);
    expect(chosen.every((i) => cand[i] && labels[i] === orig[i])).toBe(true);
    expect(chosen.length / (0.9 * n)).toBeGreaterThan(0.14);
    expect(chosen.length / (0.9 * n)).toBeLessThan(0.16);
    const masked = chosen.filter((i) => x[i] === 4).length / chosen.length;
    const kept = chosen.filter((i) => x[i] === orig[i]).length / chosen.length;
    expect(masked).toBeCloseTo(0.8, 1);
    expect(kept).toBeGreaterThan(0.08); // 10% kept + random draws that hit the same id
    expect(kept).toBeLessThan(0.13);
    expect(chosen.every((i) => x[i] === 4 || (x[i] >= 7 && x[i] < 60))).toBe(true);
    expect([...x.keys()].filter((i) => labels[i] === -100).every((i) => x[i] === orig[i])).toBe(true);

    const vocab = new Vocab(Array.from({ length: 30 }, (_, i) => `w${i}`));
    const verses = Array.from({ length: 40 }, (_, i) => Array.from({ length: 3 + (i % 5) }, (_, k) => 7 + ((i + k) % 30)));
    const b = pretrainingBatch(verses, vocab, 64, 12, 0.15, new Generator(3));
    const [B, T] = b.shape;
    expect(B).toBe(64);
    expect(T).toBeLessThanOrEqual(12);
    let nsp1 = 0;
    for (let r = 0; r < B; r++) {
      const row = Array.from(b.ids.slice(r * T, (r + 1) * T));
      const labelsRow = Array.from(b.mlmLabels.slice(r * T, (r + 1) * T));
      const len = b.attentionMask.slice(r * T, (r + 1) * T).reduce((s, v) => s + v, 0);
      const orig = row.map((id, k) => (labelsRow[k] === -100 ? id : labelsRow[k]));
      expect(orig[0]).toBe(vocab.clsId);
      expect(orig[len - 1]).toBe(vocab.sepId);
      const sep = orig.indexOf(vocab.sepId);
      expect(sep).toBeGreaterThan(0);
      expect(sep).toBeLessThan(len - 1);
      const types = Array.from(b.tokenTypeIds.slice(r * T, r * T + len));
      expect(types).toEqual(types.map((_, k) => (k <= sep ? 0 : 1)));
      expect(row.slice(len).every((id) => id === vocab.padId)).toBe(true);
      expect(labelsRow.some((l) => l !== -100)).toBe(true);
      expect([0, sep, len - 1].every((k) => labelsRow[k] === -100)).toBe(true);
      nsp1 += b.nspLabels[r];
    }
    expect(nsp1).toBeGreaterThan(16);
    expect(nsp1).toBeLessThan(48);
    expect([warmupLinear(0, 10, 100), warmupLinear(9, 10, 100), warmupLinear(55, 10, 100), warmupLinear(100, 10, 100)]).toEqual([0.1, 1, 0.5, 0]);
  });

  it('fine-tuning starts from the pretrained trunk: every bert.* weight loads under its key and changes the outputs', () => {
    manualSeed(1);
    const pre = bertForPreTraining(TINY);
    // A "pretrained" trunk: a few SGD steps on a pretraining loss move every trunk weight.
    const x = ids([[2, 8, 9, 4, 3, 10, 11, 3], [2, 12, 4, 13, 3, 14, 15, 3]]);
    const types = ids([[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1, 1]]);
    const mlm = ids([[-100, -100, -100, 20, -100, -100, -100, -100], [-100, -100, 30, -100, -100, -100, -100, -100]]);
    const nsp = tf.tensor1d([0, 1], 'int32');
    for (let k = 0; k < 3; k++) {
      backward(() => pre.pretrainingLoss(x, { tokenTypeIds: types }, mlm, nsp).loss, pre);
      tf.tidy(() => pre.parameters().forEach((p) => p.grad && p.data.assign(tf.sub(p.data, tf.mul(p.grad, 1)))));
      pre.zeroGrad();
    }
    manualSeed(2);
    const clf = bertForSequenceClassification(TINY).eval();
    const sd = pre.bert.stateDict();
    const fresh = clf.bert.stateDict();
    const trunkKeys = Object.keys(clf.stateDict()).filter((k) => k.startsWith('bert.'));
    expect(trunkKeys.map((k) => k.slice(5)).sort()).toEqual(Object.keys(sd).sort());
    const before = clf.forward(x, { tokenTypeIds: types });
    const freshCopy = Object.fromEntries(Object.entries(fresh).map(([k, t]) => [k, t.clone()]));
    expect(clf.bert.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [k, t] of Object.entries(clf.bert.stateDict())) {
      expectClose(t, sd[k], { rtol: 0, atol: 0 });
      // LayerNorm may stay at 1 / 0; softmax ignores the key bias (zero gradient): every other weight moved.
      if (!/LayerNorm|key\.bias/.test(k)) expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, freshCopy[k]))).dataSync()[0])).toBeGreaterThan(0);
    }
    const after = clf.forward(x, { tokenTypeIds: types });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(after, before))).dataSync()[0])).toBeGreaterThan(1e-4);
    pre.eval();
    const pooled = pre.bert.forward(x, { tokenTypeIds: types }).poolerOutput!;
    expectClose(after, clf.classifier.forward(pooled), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, types, mlm, nsp, before, after, pooled, ...Object.values(freshCopy)]);
    pre.dispose();
    clf.dispose();
  });

  it('carves a seeded validation split from train and buckets batches by length, each example once', () => {
    const a = carveValidation(100, 20, 0);
    expect(a).toEqual(carveValidation(100, 20, 0));
    expect(a.valid).toHaveLength(20);
    expect([...a.train, ...a.valid].sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(carveValidation(100, 20, 1).valid).not.toEqual(a.valid);
    expect(() => carveValidation(10, 10, 0)).toThrow('carveValidation: validSize must be an integer in [1, 9], got 10');
    const seqs = Array.from({ length: 100 }, (_, i) => Array.from({ length: 1 + ((i * 37) % 50) }, () => 5));
    const batches = bucketedBatches(seqs, 8, new Generator(0), 4);
    expect(batches.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(batches).toHaveLength(3 * 4 + 1); // pools of 32: 3 full (4 batches each), then 4 examples
    const spread = (b: number[]) => Math.max(...b.map((i) => seqs[i].length)) - Math.min(...b.map((i) => seqs[i].length));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    // Sorted pools: the length range inside a batch is far below that of a random batch of 8 (≈ 39).
    expect(mean(batches.filter((b) => b.length === 8).map(spread))).toBeLessThan(20);
  });

  it('fill-mask: [MASK] markers become the mask id; top-k fillers are sorted real tokens with probabilities summing to <= 1', () => {
    const tok = WordPieceTokenizer.train(['in the beginning god created the heavens and the earth', 'and god said let there be light'], { vocabSize: 60, minFrequency: 1 });
    const enc = encodeMasked(tok, 'And God [MASK] , let there be [mask].');
    expect(enc.ids[0]).toBe(tok.vocab.clsId);
    expect(enc.ids[enc.ids.length - 1]).toBe(tok.vocab.sepId);
    expect(enc.maskPositions.map((i) => enc.ids[i])).toEqual([tok.vocab.maskId, tok.vocab.maskId]);
    expect(enc.maskPositions[0]).toBe(3);
    manualSeed(4);
    const m = bertForPreTraining({ ...TINY, vocabSize: tok.vocab.size, maxPositionEmbeddings: 32 });
    const out = fillMask(m, tok, 'And God [MASK] , let there be [mask].', 5);
    expect(out).toHaveLength(2);
    for (const list of out) {
      expect(list).toHaveLength(5);
      expect(list.every((c) => c.id >= tok.vocab.numSpecial && c.token === tok.vocab.tokens()[c.id])).toBe(true);
      for (let i = 1; i < 5; i++) expect(list[i].probability).toBeLessThanOrEqual(list[i - 1].probability);
      const s = list.reduce((a, c) => a + c.probability, 0);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(() => fillMask(m, tok, 'no mask here')).toThrow('fillMask: the text has no [MASK]');
    m.dispose();
  });

  it('leaks no tensor in forward, backward and the pretraining loss', () => {
    manualSeed(5);
    const m = bertForPreTraining(TINY);
    const x = ids([[1, 2, 3, 4], [5, 6, 0, 0]]);
    const mask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0]]);
    const labels = ids([[-100, 7, -100, -100], [9, -100, -100, -100]]);
    const nsp = tf.tensor1d([0, 1], 'int32');
    expectNoLeak(() => {
      const o = m.forward(x, { attentionMask: mask });
      tf.dispose([o.predictionLogits, o.seqRelationshipLogits]);
    });
    m.zeroGrad();
    expectNoLeak(() => backward(() => m.pretrainingLoss(x, { attentionMask: mask }, labels, nsp).loss, m), m.parameters().length);
    m.zeroGrad();
    tf.dispose([x, mask, labels, nsp]);
    m.dispose();
  });
});

/** Registry contract for the BERT models (tiny configs). */
type AnyModel = nn.Module & { forward(ids: tf.Tensor, inputs?: object): unknown };
const scalarOf = (name: string, out: unknown): tf.Scalar => {
  if (name === 'bert') {
    const o = out as { lastHiddenState: tf.Tensor; poolerOutput: tf.Tensor };
    return tf.add(tf.mean(tf.square(o.lastHiddenState)), tf.mean(o.poolerOutput)) as tf.Scalar;
  }
  if (name === 'bert_for_pre_training') {
    const o = out as { predictionLogits: tf.Tensor; seqRelationshipLogits: tf.Tensor };
    return tf.add(tf.mean(tf.square(o.predictionLogits)), tf.mean(tf.square(o.seqRelationshipLogits))) as tf.Scalar;
  }
  return tf.mean(tf.square(out as tf.Tensor)) as tf.Scalar;
};
const firstTensor = (out: unknown): tf.Tensor => (out instanceof tf.Tensor ? out : (Object.values(out as object)[0] as tf.Tensor));
const CONTRACT: Record<string, number[]> = {
  bert: [2, 4, 16],
  bert_for_pre_training: [2, 4, 41],
  bert_for_sequence_classification: [2, 2],
  bert_for_token_classification: [2, 4, 2],
};

describe('registry contract (BERT)', () => {
  for (const [name, shape] of Object.entries(CONTRACT)) {
    it(`${name}: forward shape, finite gradient for every parameter, state dict round trip, seeded determinism, no leak`, () => {
      const entry = registry.get(name);
      expect(entry.domain).toBe('nlp');
      manualSeed(3);
      const m = registry.create<AnyModel>(name, TINY);
      const x = ids([[1, 2, 3, 4], [5, 6, 0, 0]]);
      const inputs = { attentionMask: tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0]]), tokenTypeIds: ids([[0, 0, 1, 1], [0, 1, 0, 0]]) };
      const y = tf.tidy(() => firstTensor(m.forward(x, inputs)).clone());
      expect(y.shape).toEqual(shape);
      m.zeroGrad();
      backward(() => scalarOf(name, m.forward(x, inputs)), m);
      for (const [k, p] of m.namedParameters()) {
        const g = p.grad ? Array.from(p.grad.dataSync()) : [];
        expect([k, g.length === p.size && g.every(Number.isFinite)]).toEqual([k, true]);
      }
      m.zeroGrad();
      manualSeed(3);
      const m2 = registry.create<AnyModel>(name, TINY);
      const y2 = tf.tidy(() => firstTensor(m2.forward(x, inputs)).clone());
      expectClose(y2, y, { rtol: 0, atol: 0, what: 'same seed' });
      const m3 = registry.create<AnyModel>(name, TINY);
      m3.loadStateDict(m.stateDict());
      const y3 = tf.tidy(() => firstTensor(m3.forward(x, inputs)).clone());
      expectClose(y3, y, { atol: 1e-6, what: 'state dict round trip' });
      expectNoLeak(() => tf.tidy(() => void firstTensor(m.forward(x, inputs)).dataSync()));
      tf.dispose([x, y, y2, y3, ...Object.values(inputs)]);
      [m, m2, m3].forEach((q) => q.dispose());
    });
  }

  it('registers the defaults and recipes', () => {
    const m = registry.create<BertModel>('bert', { numHiddenLayers: 1, vocabSize: 20, hiddenSize: 8, numAttentionHeads: 2, intermediateSize: 16 });
    expect(m.config).toEqual({ ...BERT_DEFAULTS, numHiddenLayers: 1, vocabSize: 20, hiddenSize: 8, numAttentionHeads: 2, intermediateSize: 16 });
    expect(registry.get('bert_for_pre_training').recipe!.metric).toBe('mlm_accuracy');
    expect(registry.get('bert_for_sequence_classification').recipe!.dataset).toBe('sentiment');
    const p = registry.create('bert_for_pre_training', { ...TINY });
    expect(p).toBeInstanceOf(BertForPreTraining);
    [m, p].forEach((q) => q.dispose());
  });
});
