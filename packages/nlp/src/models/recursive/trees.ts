/**
 * Trees for recursive models and their level batching: the nodes of a batch of trees are grouped by
 * height (leaves 0, a parent one above its highest child), so one level of every tree is computed
 * in one step and a parent always sees its children's states.
 */

/** A tree node: an optional token id (the node's input; absent = padding) and ordered children. */
export interface Tree {
  token?: number;
  children?: Tree[];
}

/** The nodes of one height across the batch. */
export interface TreeLevel {
  /** Token id of each node (padId where a node has none), [n]. */
  tokens: Int32Array;
  /**
   * Children of each node as 1-based indices into the state table of all lower levels
   * (0 = no child at this slot), row-major [n, maxChildren].
   */
  children: Int32Array;
}

/** A batch of trees in level order: node k (1-based) of the state table is the k-th node of levels[0], levels[1]… */
export interface TreeBatch {
  levels: TreeLevel[];
  /** 1-based state-table index of each tree's root, [numTrees]. */
  roots: Int32Array;
  /** Child slots per node (the widest node of the batch, or the model's arity). */
  maxChildren: number;
  numNodes: number;
}

/** Options of `batchTrees`. */
export interface BatchTreesOptions {
  /** Token of nodes without one. Default 0. */
  padId?: number;
  /** Child slots per node; a node with more children throws (N-ary models). Default: the widest node. */
  maxChildren?: number;
}

/** Groups the nodes of `trees` by height; throws on an empty batch or a node wider than `maxChildren`. */
export function batchTrees(trees: readonly Tree[], opts: BatchTreesOptions = {}): TreeBatch {
  const { padId = 0 } = opts;
  if (!trees.length) throw new Error('batchTrees: need at least one tree');
  const byLevel: Tree[][] = [];
  const height = new Map<Tree, number>();
  let widest = 0;
  const visit = (t: Tree, depth: number): number => {
    if (depth > 10000) throw new Error('batchTrees: tree deeper than 10000 levels (a cycle?)');
    const kids = t.children ?? [];
    widest = Math.max(widest, kids.length);
    const h = kids.length ? 1 + Math.max(...kids.map((c) => visit(c, depth + 1))) : 0;
    if (height.has(t)) throw new Error('batchTrees: a node appears twice (trees must not share nodes)');
    height.set(t, h);
    (byLevel[h] ??= []).push(t);
    return h;
  };
  trees.forEach((t) => visit(t, 0));
  const K = opts.maxChildren ?? Math.max(1, widest);
  if (widest > K) throw new Error(`batchTrees: a node has ${widest} children, over maxChildren ${K}`);
  const index = new Map<Tree, number>();
  let next = 1;
  const levels: TreeLevel[] = byLevel.map((nodes) => {
    const tokens = new Int32Array(nodes.length);
    const children = new Int32Array(nodes.length * K);
    nodes.forEach((t, i) => {
      tokens[i] = t.token ?? padId;
      (t.children ?? []).forEach((c, k) => (children[i * K + k] = index.get(c)!));
    });
    nodes.forEach((t) => index.set(t, next++));
    return { tokens, children };
  });
  return { levels, roots: Int32Array.from(trees, (t) => index.get(t)!), maxChildren: K, numNodes: next - 1 };
}

/** Number of nodes of a tree. */
export function treeSize(t: Tree): number {
  return 1 + (t.children ?? []).reduce((s, c) => s + treeSize(c), 0);
}

/**
 * Parses a bracketed prefix expression such as ListOps' `[MAX 2 [MIN 4 7 ] 0 ]` into a tree: an
 * operator token ('[OP') opens a node whose token is the operator, ']' closes it, any other token
 * is a leaf. Token ids come from `vocab` (token -> index); unknown tokens throw.
 */
export function parsePrefixTree(tokens: readonly string[], vocab: readonly string[]): Tree {
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const id = (t: string): number => {
    const v = ids.get(t);
    if (v === undefined) throw new Error(`parsePrefixTree: token ${JSON.stringify(t)} is not in the vocabulary`);
    return v;
  };
  let at = 0;
  const parse = (): Tree => {
    const t = tokens[at++];
    if (t === undefined) throw new Error('parsePrefixTree: expression ends early');
    if (t === ']') throw new Error(`parsePrefixTree: unexpected ']' at token ${at - 1}`);
    if (!t.startsWith('[')) return { token: id(t) };
    const children: Tree[] = [];
    while (tokens[at] !== ']') {
      if (at >= tokens.length) throw new Error(`parsePrefixTree: ${t} is never closed`);
      children.push(parse());
    }
    at++;
    return { token: id(t), children };
  };
  const tree = parse();
  if (at !== tokens.length) throw new Error(`parsePrefixTree: ${tokens.length - at} tokens left after the expression`);
  return tree;
}
