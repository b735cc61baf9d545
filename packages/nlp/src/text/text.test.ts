import { tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import {
  BpeTokenizer,
  CharTokenizer,
  RegexTokenizer,
  TextClassificationDataset,
  Vocab,
  WordPieceTokenizer,
  WordTokenizer,
  keyPaddingMask,
  lengthsOf,
  loadTokenizer,
  padDocuments,
  splitSentences,
  DocumentClassificationDataset,
  padBatch,
  padSequences,
  paddingMask,
  sequenceMask,
} from './index';

const CORPUS = [
  'the cat sat on the mat.',
  'the dog sat on the log!',
  'cats and dogs are lovely animals',
  'the lowest newest widest walker walked',
  'low lower lowest new newer newest wide wider widest',
  "I don't think the cat's mat is new.",
];

describe('Vocab', () => {
  it('puts the special tokens first (<pad> = 0) and orders by count, then code point', () => {
    const v = Vocab.build([['b', 'a', 'c', 'a'], ['c', 'd']]);
    expect(v.tokens()).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', '<mask>', '<cls>', '<sep>', 'a', 'c', 'b', 'd']);
    expect([v.padId, v.unkId, v.bosId, v.eosId, v.maskId, v.clsId, v.sepId]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(v.size).toBe(11);
  });

  it('applies minFreq and maxSize, and encodes unknown tokens as <unk>', () => {
    const v = Vocab.build([['a', 'a', 'a', 'b', 'b', 'c']], { minFreq: 2 });
    expect(v.tokens().slice(7)).toEqual(['a', 'b']);
    const w = Vocab.build([['a', 'a', 'a', 'b', 'b', 'c']], { maxSize: 8 });
    expect(w.tokens().slice(7)).toEqual(['a']);
    expect(v.encode(['a', 'c', 'zzz'], { addBos: true, addEos: true })).toEqual([2, 7, 1, 1, 3]);
    expect(v.decode([2, 7, 1, 8, 3, 0, 0])).toEqual(['a', '<unk>', 'b']);
    expect(v.decode([2, 7, 3], { skipSpecial: false })).toEqual(['<bos>', 'a', '<eos>']);
    expect(v.encode([])).toEqual([]);
    expect(() => v.token(99)).toThrow('Vocab.token: id 99 is out of range [0, 9)');
    expect(() => Vocab.build([], { maxSize: 3 })).toThrow('Vocab.build: maxSize (3) must be an integer >= the 7 special tokens');
    expect(() => new Vocab(['x', 'x'])).toThrow('Vocab: duplicate token "x"');
  });

  it('round-trips through JSON, custom specials included', () => {
    const v = Vocab.build([['hello', 'world', 'hello']], { specials: { cls: '[CLS]' } });
    const w = Vocab.fromJSON(JSON.stringify(v));
    expect(w.tokens()).toEqual(v.tokens());
    expect(w.specials.cls).toBe('[CLS]');
    expect(w.id('[CLS]')).toBe(5);
    expect(w.encode(['hello', 'world'])).toEqual([7, 8]);
    expect(() => Vocab.fromJSON('{"type":"bpe"}')).toThrow("Vocab.fromJSON: expected { type: 'vocab', version: 1, tokens: [...] }, got type \"bpe\"");
  });
});

describe('word, regex and character tokenizers', () => {
  it('splits words, contractions and punctuation, lower-cased', () => {
    const t = new WordTokenizer();
    expect(t.tokenize("Hello, World! Don't panic.")).toEqual(['hello', ',', 'world', '!', "don't", 'panic', '.']);
    expect(t.tokenize('')).toEqual([]);
    expect(t.tokenize('   \n ')).toEqual([]);
    expect(new WordTokenizer({ dropPunctuation: true, lowercase: false }).tokenize('Hi, there!')).toEqual(['Hi', 'there']);
  });

  it("stems with natural's Porter and Lancaster stemmers and strips accents", () => {
    expect(new WordTokenizer({ stem: 'porter' }).tokenize('Running runners ran, easily!')).toEqual(['run', 'runner', 'ran', ',', 'easili', '!']);
    expect(new WordTokenizer({ stem: 'lancaster' }).tokenize('running')).toEqual(['run']);
    expect(new WordTokenizer({ stripAccents: true }).tokenize('Café naïve')).toEqual(['cafe', 'naive']);
    expect(() => new WordTokenizer({ stem: 'snowball' as 'porter' })).toThrow("RegexTokenizer: stem must be 'none', 'porter' or 'lancaster', got 'snowball'");
  });

  it('takes a custom pattern, or a separator pattern with gaps', () => {
    expect(new RegexTokenizer({ pattern: /\d+/ }).tokenize('a1 b22 c333')).toEqual(['1', '22', '333']);
    expect(new RegexTokenizer({ pattern: /[,;]\s*/, gaps: true }).tokenize('a, b;c,,')).toEqual(['a', 'b', 'c']);
  });

  it('character tokenizer round-trips exactly, surrogate pairs included', () => {
    const t = new CharTokenizer();
    const s = 'Héllo 👋 wörld\n';
    expect(t.tokenize('ab c')).toEqual(['a', 'b', ' ', 'c']);
    expect(t.tokenize('👋')).toEqual(['👋']);
    expect(t.detokenize(t.tokenize(s))).toBe(s);
    expect(t.tokenize('')).toEqual([]);
    const v = Vocab.build([t.tokenize(s)]);
    expect(t.detokenize(v.decode(v.encode(t.tokenize(s))))).toBe(s);
  });
});

describe('BPE', () => {
  const bpe = BpeTokenizer.train(CORPUS, { vocabSize: 80, minFrequency: 2 });

  it('learns frequent merges first and reaches the requested size', () => {
    expect(bpe.vocab.size).toBeLessThanOrEqual(80);
    expect(bpe.merges.length).toBeGreaterThan(10);
    // '▁t' 'h' 'e': "the" occurs 6 times, so it is one token.
    expect(bpe.tokenize('the')).toEqual(['▁the']);
    expect(bpe.tokenize('lowest')).toEqual(['▁lowest']);
    expect(bpe.tokenize('')).toEqual([]);
    expect(bpe.tokenize('walkers slower cats')).toEqual(['▁walk', 'er', 's', '▁', 's', 'lo', 'w', 'er', '▁cat', 's']);
  });

  it('round-trips text (single spaces) and maps unseen characters to <unk>', () => {
    for (const s of CORPUS) expect(bpe.decode(bpe.encode(s))).toBe(s);
    expect(bpe.decode(bpe.encode('  the   newest\tcat  '))).toBe('the newest cat');
    expect(bpe.decode(bpe.encode('slowest walkers'))).toBe('slowest walkers');
    const ids = bpe.encode('the zebra');
    expect(ids).toContain(bpe.vocab.unkId);
    expect(bpe.decode(ids)).toBe('the <unk>e<unk>ra');
    expect(bpe.encode('the', { addBos: true, addEos: true })).toEqual([2, bpe.vocab.id('▁the'), 3]);
  });

  it('saves and loads as JSON with identical encodings', () => {
    const back = loadTokenizer(JSON.stringify(bpe));
    expect(back).toBeInstanceOf(BpeTokenizer);
    for (const s of [...CORPUS, 'newer wider walkers']) expect(back.encode(s)).toEqual(bpe.encode(s));
    expect(() => loadTokenizer('{"type":"sentencepiece"}')).toThrow("loadTokenizer: unknown tokenizer type \"sentencepiece\" (expected 'bpe' or 'wordpiece')");
  });

  it('is deterministic and rejects a vocabulary smaller than its alphabet', () => {
    const again = BpeTokenizer.train([...CORPUS].reverse(), { vocabSize: 80, minFrequency: 2 });
    expect(again.merges).toEqual(bpe.merges);
    expect(() => BpeTokenizer.train(CORPUS, { vocabSize: 10 })).toThrow('BpeTokenizer.train: vocabSize (10) must be an integer >= specials + alphabet');
  });
});

describe('WordPiece', () => {
  const wp = WordPieceTokenizer.train(CORPUS, { vocabSize: 90, minFrequency: 2 });

  it('cuts words greedily into ## pieces', () => {
    expect(wp.vocab.size).toBeLessThanOrEqual(90);
    // 'walke', 'lowest', 'newest' and 'cat' were merged from frequent, rare-part pairs.
    expect(wp.tokenize('walkers slower cats')).toEqual(['walke', '##r', '##s', 's', '##l', '##o', '##w', '##er', 'cat', '##s']);
    expect(wp.tokenize('newest widest')).toEqual(['newest', 'widest']);
    expect(wp.tokenize('')).toEqual([]);
  });

  it('round-trips words (punctuation split off, lower-cased) and gives <unk> for uncuttable words', () => {
    expect(wp.decode(wp.encode('The cat sat on the mat.'))).toBe('the cat sat on the mat .');
    expect(wp.decode(wp.encode('Lowest. newest!'))).toBe('lowest . newest !');
    expect(wp.decode(wp.encode('walkers slower cats'))).toBe('walkers slower cats');
    expect(wp.tokenize('the xylophone')).toEqual(['the', '<unk>']);
    const long = new WordPieceTokenizer(wp.vocab, true, 5);
    expect(long.tokenize('cat lowest')).toEqual(['cat', '<unk>']); // 'lowest' has 6 > 5 characters
  });

  it("score 'frequency' merges the most frequent pairs first (frequent words whole in a small vocabulary)", () => {
    const small = (score: 'likelihood' | 'frequency') => WordPieceTokenizer.train(CORPUS, { vocabSize: 50, minFrequency: 2, score }).tokenize('the lowest cat');
    expect(small('likelihood')).toEqual(['th', '##e', 'lo', '##w', '##e', '##s', '##t', 'ca', '##t']);
    expect(small('frequency')).toEqual(['the', 'low', '##est', 'c', '##at']);
    expect(() => WordPieceTokenizer.train(CORPUS, { score: 'count' as 'frequency' })).toThrow("score must be 'likelihood' or 'frequency', got 'count'");
  });

  it('saves and loads as JSON with identical encodings', () => {
    const back = WordPieceTokenizer.fromJSON(JSON.stringify(wp));
    for (const s of CORPUS) expect(back.encode(s)).toEqual(wp.encode(s));
    expect(back.maxCharsPerWord).toBe(100);
    expect(loadTokenizer(wp.toJSON())).toBeInstanceOf(WordPieceTokenizer);
  });
});

describe('padding, masks and batching', () => {
  it('pads to the batch maximum with masks and lengths; empty sequences are all padding', () => {
    const p = padSequences([[5, 6, 7], [8], []]);
    expect([p.batchSize, p.length]).toEqual([3, 3]);
    expect(Array.from(p.ids)).toEqual([5, 6, 7, 8, 0, 0, 0, 0, 0]);
    expect(Array.from(p.mask)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(p.lengths)).toEqual([3, 1, 0]);
    const empty = padSequences([[], []], { padId: 9 });
    expect([empty.length, Array.from(empty.ids), Array.from(empty.lengths)]).toEqual([1, [9, 9], [0, 0]]);
  });

  it('pads to a fixed length and truncates as told, or throws on over-long sequences', () => {
    expect(Array.from(padSequences([[1, 2]], { length: 4 }).ids)).toEqual([1, 2, 0, 0]);
    expect(() => padSequences([[1, 2], [1, 2, 3, 4, 5]], { length: 4 })).toThrow(
      "padSequences: sequence 1 has 5 tokens, over length 4; pass truncation: 'right' or 'left' to cut it",
    );
    expect(() => padSequences([[1, 2, 3]], { maxLength: 2 })).toThrow('padSequences: sequence 0 has 3 tokens, over maxLength 2');
    const r = padSequences([[1, 2, 3, 4, 5], [6]], { maxLength: 3, truncation: 'right' });
    expect([r.length, Array.from(r.ids), Array.from(r.lengths)]).toEqual([3, [1, 2, 3, 6, 0, 0], [3, 1]]);
    const l = padSequences([[1, 2, 3, 4, 5]], { length: 2, truncation: 'left' });
    expect(Array.from(l.ids)).toEqual([4, 5]);
    expect(() => padSequences([[1]], { length: 5, maxLength: 4 })).toThrow('padSequences: length (5) is over maxLength (4)');
  });

  it('builds tensor batches and masks without leaking', () => {
    const b = padBatch([[3, 4], [5, 6, 7]]);
    expect(b.ids.shape).toEqual([2, 3]);
    expect(Array.from(b.mask.dataSync())).toEqual([1, 1, 0, 1, 1, 1]);
    expect(Array.from(b.lengths.dataSync())).toEqual([2, 3]);
    expectNoLeak(() => {
      const m = sequenceMask(b.lengths, 4);
      expect(Array.from(m.dataSync())).toEqual([1, 1, 0, 0, 1, 1, 1, 0]);
      const pm = paddingMask(b.ids);
      expect(Array.from(pm.dataSync())).toEqual([1, 1, 0, 1, 1, 1]);
      const kpm = keyPaddingMask(b.ids);
      expect(Array.from(kpm.dataSync())).toEqual([0, 0, 1, 0, 0, 0]);
      const m2 = sequenceMask([0, 2], 2);
      expect(m2.arraySync()).toEqual([[0, 0], [1, 1]]);
      tf.dispose([m, m2, pm, kpm]);
    });
    expect(lengthsOf(b.ids)).toEqual([2, 3]);
    tf.dispose([b.ids, b.mask, b.lengths]);
  });

  it('TextClassificationDataset pads each batch to its own longest row', () => {
    const ds = new TextClassificationDataset([[1, 2, 3, 4], [5], [6, 7]], [0, 1, 1]);
    expectNoLeak(() => {
      const [ids, labels] = ds.getBatch([1, 2]);
      expect(ids.arraySync()).toEqual([[5, 0], [6, 7]]);
      expect(Array.from(labels.dataSync())).toEqual([1, 1]);
      const [one, y] = ds.get(0);
      expect([one.shape, y.shape, Array.from(one.dataSync())]).toEqual([[4], [], [1, 2, 3, 4]]);
      tf.dispose([ids, labels, one, y]);
    });
    expect(() => new TextClassificationDataset([[1]], [0, 1])).toThrow('TextClassificationDataset: 1 sequences but 2 labels');
    expect(() => ds.getBatch([3])).toThrow('TextClassificationDataset: index 3 is out of range for length 3');
  });
});

describe('documents', () => {
  it('splits sentences at . ! ? and blank lines', () => {
    expect(splitSentences('Hi there. How are you?! Fine\n\nNew para "quoted." end')).toEqual(['Hi there.', 'How are you?!', 'Fine', 'New para "quoted."', 'end']);
    expect(splitSentences('  ')).toEqual([]);
  });

  it('pads documents at both levels, drops empty sentences and truncates to maxSentences × maxWords', () => {
    const p = padDocuments([[[1, 2, 3], [], [4]], [[5, 6, 7, 8, 9]]], { maxSentences: 3, maxWords: 4 });
    expect(p.shape).toEqual([2, 2, 4]);
    expect(Array.from(p.ids)).toEqual([1, 2, 3, 0, 4, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0]);
    const fixed = padDocuments([[]], { maxSentences: 2, maxWords: 2, toLongest: false });
    expect([fixed.shape, Array.from(fixed.ids)]).toEqual([[1, 2, 2], [0, 0, 0, 0]]);
    expect(padDocuments([[], []], { maxSentences: 2, maxWords: 2 }).shape).toEqual([2, 1, 1]);
    expect(() => padDocuments([], { maxSentences: 0, maxWords: 2 })).toThrow('padDocuments: maxSentences and maxWords must be positive integers, got 0 and 2');
  });

  it('DocumentClassificationDataset batches [B, S, W] ids with labels', () => {
    const ds = new DocumentClassificationDataset([[[1, 2]], [[3], [4, 5, 6]]], [1, 0], { maxSentences: 4, maxWords: 4 });
    expectNoLeak(() => {
      const [ids, y] = ds.getBatch([0, 1]);
      expect(ids.shape).toEqual([2, 2, 3]);
      expect(Array.from(y.dataSync())).toEqual([1, 0]);
      tf.dispose([ids, y]);
    });
  });
});
