/**
 * SYNTHETIC tree task ListOps (Nangia & Bowman, 2018): nested prefix expressions over the digits
 * 0–9 with the operators MAX, MIN, MED (median, lower middle for even counts) and SM (sum
 * modulo 10), e.g. `[MAX 2 9 [MIN 4 7 ] 0 ]` → 9. The label is the expression's value; solving
 * it needs the tree structure, which makes it a test of tree and long-range sequence models.
 * Expressions are drawn by core's seeded Generator; results carry `synthetic: true`.
 */
import { Generator } from '@neuralzoo/core';

/** Token vocabulary: id 0 is padding, then digits, operators and the closing bracket. */
export const LISTOPS_VOCAB = ['<pad>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '[MAX', '[MIN', '[MED', '[SM', ']'];
const OPS = ['[MAX', '[MIN', '[MED', '[SM'];

export interface ListOpsOptions {
  /** Number of expressions. */
  count: number;
  /** Deepest operator nesting (1 = one operator over digits). Default 4. */
  maxDepth?: number;
  /** Arguments per operator: uniform in [2, maxArgs]. Default 5. */
  maxArgs?: number;
  /** Padded length T; expressions longer than this are re-drawn. Default 128. */
  maxLength?: number;
  /** Seed (default 0). */
  seed?: number;
}

export interface ListOpsSet {
  /** Token strings of each expression. */
  tokens: string[][];
  /** Token ids [N, T] (LISTOPS_VOCAB indices), right-padded with 0. */
  ids: Int32Array;
  shape: [number, number];
  /** Value 0–9 of each expression. */
  labels: Int32Array;
  vocab: string[];
  classes: string[];
  synthetic: true;
}

type Node = number | { op: string; args: Node[] };

/** Evaluates a ListOps token sequence (throws on malformed input). */
export function evaluateListOps(tokens: string[]): number {
  let at = 0;
  const parse = (): number => {
    const t = tokens[at++];
    if (t === undefined) throw new Error('evaluateListOps: expression ends early');
    if (/^\d$/.test(t)) return Number(t);
    if (!OPS.includes(t)) throw new Error(`evaluateListOps: unexpected token ${JSON.stringify(t)}`);
    const args: number[] = [];
    while (tokens[at] !== ']') args.push(parse());
    at++;
    if (!args.length) throw new Error(`evaluateListOps: ${t} has no arguments`);
    const sorted = [...args].sort((a, b) => a - b);
    switch (t) {
      case '[MAX': return sorted[sorted.length - 1];
      case '[MIN': return sorted[0];
      case '[MED': return sorted[(sorted.length - 1) >> 1];
      default: return args.reduce((s, v) => s + v, 0) % 10;
    }
  };
  const v = parse();
  if (at !== tokens.length) throw new Error(`evaluateListOps: ${tokens.length - at} tokens left after the expression`);
  return v;
}

/** SYNTHETIC: draws ListOps expressions with their values. */
export function listOps(opts: ListOpsOptions): ListOpsSet {
  const { count, maxDepth = 4, maxArgs = 5, maxLength = 128, seed = 0 } = opts;
  if (!Number.isInteger(count) || count < 1) throw new Error(`listOps: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || !Number.isInteger(maxArgs) || maxArgs < 2)
    throw new Error(`listOps: need maxDepth >= 1 and maxArgs >= 2, got ${maxDepth} and ${maxArgs}`);
  if (maxLength < 4) throw new Error(`listOps: maxLength must be at least 4 (one operator, two digits, ']'), got ${maxLength}`);
  const gen = new Generator(seed);
  const draw = (depth: number): Node => {
    // The root is always an operator; deeper, an operator with probability 0.25.
    if (depth > 0 && (depth >= maxDepth || gen.random() >= 0.25)) return gen.randint(10);
    const n = 2 + gen.randint(maxArgs - 1);
    return { op: OPS[gen.randint(OPS.length)], args: Array.from({ length: n }, () => draw(depth + 1)) };
  };
  const flat = (node: Node): string[] => (typeof node === 'number' ? [String(node)] : [node.op, ...node.args.flatMap(flat), ']']);
  const tokens: string[][] = [];
  for (let attempts = 0; tokens.length < count; attempts++) {
    if (attempts > 100 * count) throw new Error(`listOps: expressions rarely fit maxLength ${maxLength}; raise it or lower maxDepth/maxArgs`);
    const t = flat(draw(0));
    if (t.length <= maxLength) tokens.push(t);
  }
  const ids = new Int32Array(count * maxLength);
  tokens.forEach((t, i) => t.forEach((tok, k) => (ids[i * maxLength + k] = LISTOPS_VOCAB.indexOf(tok))));
  return {
    tokens,
    ids,
    shape: [count, maxLength],
    labels: Int32Array.from(tokens, evaluateListOps),
    vocab: [...LISTOPS_VOCAB],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    synthetic: true,
  };
}
