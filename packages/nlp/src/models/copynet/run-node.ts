/**
 * Node only: the rare-names copying task from the English Bible (see names.ts); trains CopyNet and
 * the plain attention Seq2Seq on the same data and vocabulary and prints exact-match accuracy.
 *   nice -n 10 node packages/nlp/dist/models/copynet/run-node.js [--backend wasm] [--seconds N per model]
 */
import { BackendName, init, manualSeed } from '@neuralzoo/core';
import { loadParallelBible } from '@neuralzoo/datasets';
import { Vocab } from '../../text/index';
import { Seq2Seq } from '../seq2seq/seq2seq';
import { greedyDecodeAll, trainPairs } from '../seq2seq/train';
import { CopyNet } from './copynet';
import { extendSource } from './config';
import { buildNamesTask } from './names';

const out = (s: string) => process.stdout.write(`${s}\n`);

async function main(argv: string[]): Promise<void> {
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const info = await init({ backend: (flag('--backend') ?? 'wasm') as BackendName });
  const seconds = Number(flag('--seconds') ?? 600);
  const task = buildNamesTask(loadParallelBible({ split: 'train' }).source, loadParallelBible({ split: 'test' }).source, { maxTrain: 6000, maxTest: 400 });
  const vocab = Vocab.build([...task.train.src, ...task.train.tgt], { minFreq: 3, maxSize: 3000 });
  const V = vocab.size;
  const has = (t: string) => (vocab.has(t) ? vocab.id(t) : undefined);
  const rareOov = task.testRare.tgt.flat().filter((n) => !vocab.has(n)).length / Math.max(1, task.testRare.tgt.flat().length);
  out(`copynet names task (English WEB Bible proper names): ${task.train.src.length} train windows, ${task.testRare.src.length} rare-name test windows (${(100 * rareOov).toFixed(0)}% of their names out of vocabulary), ${task.testAll.src.length} test windows; vocab ${V}; backend ${info.name}`);
  const exact = (hyp: string[][], ref: string[][]) => hyp.filter((h, i) => h.join(' ') === ref[i].join(' ')).length / ref.length;
  const results: Record<string, number> = {};
  // CopyNet: extended ids per example.
  manualSeed(0);
  const copy = new CopyNet({ vocabSize: V, embedDim: 48, hiddenSize: 64, maxOovs: 12 });
  const encodePair = (s: string[], t: string[]) => {
    const { ids, oovs } = extendSource(s, has, V, 12, vocab.unkId);
    const tgt = [vocab.bosId, ...t.map((w) => has(w) ?? (oovs.includes(w) ? V + oovs.indexOf(w) : vocab.unkId)), vocab.eosId];
    return { ids, oovs, tgt };
  };
  const tr = task.train.src.map((s, i) => encodePair(s, task.train.tgt[i]));
  const r1 = trainPairs(copy, tr.map((p) => p.ids), tr.map((p) => p.tgt), { epochs: 20, batchSize: 64, lr: 3e-3, maxSeconds: seconds, onStep: (i, l) => i % 50 === 0 && out(`  copynet step ${i} loss ${l.toFixed(3)}`) });
  for (const [name, set] of [['rare', task.testRare], ['all', task.testAll]] as const) {
    const enc = set.src.map((s, i) => encodePair(s, set.tgt[i]));
    const hyp = greedyDecodeAll(copy, enc.map((p) => p.ids), { bos: vocab.bosId, eos: vocab.eosId, maxLength: 6 });
    results[`copynet_${name}`] = exact(hyp.map((h, i) => h.map((id) => (id >= V ? enc[i].oovs[id - V] : vocab.token(id)))), set.tgt);
  }
  out(`copynet: exact match rare ${results.copynet_rare.toFixed(4)}, all ${results.copynet_all.toFixed(4)}; ${r1.steps} steps, ${r1.seconds.toFixed(0)} s`);
  // Plain attention seq2seq on the same vocabulary (unknown words are <unk> on both sides).
  manualSeed(0);
  const plain = new Seq2Seq({ srcVocabSize: V, tgtVocabSize: V, embedDim: 48, hiddenSize: 64, cell: 'gru', attention: 'luong' });
  const r2 = trainPairs(plain, task.train.src.map((s) => vocab.encode(s)), task.train.tgt.map((t) => vocab.encode(t, { addBos: true, addEos: true })), { epochs: 20, batchSize: 64, lr: 3e-3, maxSeconds: seconds, onStep: (i, l) => i % 50 === 0 && out(`  attention step ${i} loss ${l.toFixed(3)}`) });
  for (const [name, set] of [['rare', task.testRare], ['all', task.testAll]] as const) {
    const hyp = greedyDecodeAll(plain, set.src.map((s) => vocab.encode(s)), { bos: vocab.bosId, eos: vocab.eosId, maxLength: 6 });
    results[`attention_${name}`] = exact(hyp.map((h) => vocab.decode(h)), set.tgt);
  }
  out(`attention seq2seq: exact match rare ${results.attention_rare.toFixed(4)}, all ${results.attention_all.toFixed(4)}; ${r2.steps} steps, ${r2.seconds.toFixed(0)} s`);
  out(JSON.stringify({ name: 'copynet_names', backend: info.name, ...results, copySteps: r1.steps, plainSteps: r2.steps, seconds }));
  copy.dispose();
  plain.dispose();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
