/**
 * BLEU (Papineni et al., 2002) computed the way sacreBLEU (Post, 2018) computes its default score:
 * detokenized hypotheses and references are tokenized with the `13a` tokenizer (that of WMT's
 * mteval-v13a.pl), n-gram counts up to 4 are clipped by the reference and summed over the corpus,
 * the brevity penalty uses total hypothesis and reference lengths, and zero n-gram matches are
 * smoothed with sacreBLEU's default 'exp' method. Scores are on sacreBLEU's 0–100 scale.
 */

/** The mteval-v13a tokenization (sacreBLEU `tokenize='13a'`). */
export function tokenize13a(line: string): string[] {
  let s = line.replace(/<skipped>/g, '').replace(/-\n/g, '').replace(/\n/g, ' ');
  if (s.includes('&')) s = s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 '); // ASCII punctuation and symbols stand alone
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 '); // period/comma unless preceded by a digit
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2'); // period/comma unless followed by a digit
  s = s.replace(/([0-9])(-)/g, '$1 $2 '); // dash after a digit
  return s.split(/\s+/).filter(Boolean);
}

/** Options of `corpusBleu`. */
export interface BleuOptions {
  /** Tokenizer: '13a' (default, sacreBLEU's) or 'none' (split on whitespace). */
  tokenize?: '13a' | 'none';
  /** Lower-case before tokenizing (sacreBLEU `lowercase`). Default false. */
  lowercase?: boolean;
  /** Largest n-gram order. Default 4. */
  maxOrder?: number;
  /** 'exp' (sacreBLEU's default) or 'none' (a zero precision makes BLEU 0). */
  smooth?: 'exp' | 'none';
}

/** The parts of a BLEU score, as sacreBLEU reports them. */
export interface BleuResult {
  /** BLEU on the 0–100 scale. */
  score: number;
  /** Clipped n-gram precisions, percent, n = 1..maxOrder. */
  precisions: number[];
  /** Brevity penalty, exp(1 - r/c) when c < r, else 1. */
  bp: number;
  /** Total hypothesis length c (tokens). */
  sysLen: number;
  /** Total reference length r (tokens). */
  refLen: number;
  /** Matching and total n-gram counts per order. */
  counts: number[];
  totals: number[];
}

function ngrams(tokens: string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** Corpus BLEU of `hypotheses` against one reference each (detokenized strings). */
export function corpusBleu(hypotheses: readonly string[], references: readonly string[], opts: BleuOptions = {}): BleuResult {
  if (hypotheses.length !== references.length) throw new Error(`corpusBleu: ${hypotheses.length} hypotheses but ${references.length} references`);
  const maxOrder = opts.maxOrder ?? 4;
  const tok = (s: string) => {
    const t = opts.lowercase ? s.toLowerCase() : s;
    return (opts.tokenize ?? '13a') === '13a' ? tokenize13a(t) : t.split(/\s+/).filter(Boolean);
  };
  const counts = new Array(maxOrder).fill(0);
  const totals = new Array(maxOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((h, i) => {
    const hyp = tok(h);
    const ref = tok(references[i]);
    sysLen += hyp.length;
    refLen += ref.length;
    for (let n = 1; n <= maxOrder; n++) {
      const hn = ngrams(hyp, n);
      const rn = ngrams(ref, n);
      for (const [g, c] of hn) counts[n - 1] += Math.min(c, rn.get(g) ?? 0);
      totals[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const precisions = counts.map((c, n) => (totals[n] > 0 ? (100 * c) / totals[n] : 0));
  const bp = sysLen === 0 ? 0 : sysLen < refLen ? Math.exp(1 - refLen / sysLen) : 1;
  const result = { precisions, bp, sysLen, refLen, counts, totals };
  if (sysLen === 0) return { score: 0, ...result };
  // sacreBLEU 'exp' smoothing: the k-th order with no match gets precision 100 / (2^k · total).
  let smoothK = 1;
  let logSum = 0;
  for (let n = 0; n < maxOrder; n++) {
    if (totals[n] === 0) return { score: 0, ...result }; // hypotheses shorter than n tokens everywhere
    let p = precisions[n];
    if (counts[n] === 0) {
      if ((opts.smooth ?? 'exp') === 'none') return { score: 0, ...result };
      smoothK *= 2;
      p = 100 / (smoothK * totals[n]);
    }
    logSum += Math.log(p);
  }
  return { score: bp * Math.exp(logSum / maxOrder), ...result };
}
