/**
 * Huffman coding of a vocabulary by word counts (Mikolov et al., 2013's hierarchical softmax):
 * frequent words get short codes. Internal nodes are numbered 0..V-2 (the root is V-2); each word
 * has the path of internal nodes from the root and the branch bits taken (0 = left, 1 = right).
 */
export interface HuffmanTree {
  /** Per word: internal node ids from the root down. */
  paths: number[][];
  /** Per word: branch bit at each node of its path. */
  codes: number[][];
  /** Longest code. */
  maxDepth: number;
}

/** Builds the tree with a two-queue merge (counts sorted once). Needs >= 2 words; counts must be > 0. */
export function buildHuffman(counts: ArrayLike<number>): HuffmanTree {
  const V = counts.length;
  if (V < 2) throw new Error(`buildHuffman: needs at least 2 words, got ${V}`);
  for (let i = 0; i < V; i++) if (!(counts[i] > 0)) throw new Error(`buildHuffman: count of word ${i} must be > 0, got ${counts[i]}`);
  // Nodes 0..V-1 are leaves, V..2V-2 internal (internal id = node - V).
  const weight = new Float64Array(2 * V - 1);
  const parent = new Int32Array(2 * V - 1).fill(-1);
  const bit = new Uint8Array(2 * V - 1);
  const leaves = Array.from({ length: V }, (_, i) => i).sort((a, b) => counts[a] - counts[b] || a - b);
  leaves.forEach((w) => (weight[w] = counts[w]));
  let li = 0;
  let next = V;
  let qi = V; // internal nodes are created in non-decreasing weight order: a second queue
  const pop = (): number => {
    if (li < V && (qi >= next || weight[leaves[li]] <= weight[qi])) return leaves[li++];
    return qi++;
  };
  while (next < 2 * V - 1) {
    const a = pop();
    const b = pop();
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
    bit[a] = 0;
    bit[b] = 1;
    next++;
  }
  const paths: number[][] = [];
  const codes: number[][] = [];
  let maxDepth = 0;
  for (let w = 0; w < V; w++) {
    const p: number[] = [];
    const c: number[] = [];
    for (let n = w; parent[n] >= 0; n = parent[n]) {
      p.push(parent[n] - V);
      c.push(bit[n]);
    }
    p.reverse();
    c.reverse();
    paths.push(p);
    codes.push(c);
    maxDepth = Math.max(maxDepth, p.length);
  }
  return { paths, codes, maxDepth };
}
