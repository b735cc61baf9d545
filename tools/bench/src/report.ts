/** The results table (Markdown, which also reads well in a terminal) and the README section. */
import type { BackendResult, BenchRun, CaseResult } from './types';
import { TRAIN_CASES } from './cases';

export const CASE_ORDER = ['mlp', 'lenet5', 'lstm', 'transformer', 'sgemm', 'lenet_epoch'];

const TITLES: Record<string, string> = {
  ...Object.fromEntries(TRAIN_CASES.map((c) => [c.id, `${c.title} (steps/s)`])),
  sgemm: 'sgemm 1024×1024×1024 (GFLOP/s)',
  lenet_epoch: 'LeNet-5 MNIST epoch, 8,000 digits, batch 64 (s)',
};

function find(r: BackendResult | undefined, id: string): CaseResult | undefined {
  return r?.cases.find((c) => c.id === id);
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** How many times PyTorch is faster: rate ratio, or time ratio for the epoch (seconds). */
export function slowdown(torch: CaseResult | undefined, ours: CaseResult | undefined): number | null {
  if (!torch?.value || !ours?.value) return null;
  return ours.unit === 's' ? ours.value / torch.value : torch.value / ours.value;
}

export function table(run: BenchRun): string {
  const torch = run.results.find((r) => r.backend === 'pytorch');
  const ours = run.results.filter((r) => r.backend !== 'pytorch' && r.available);
  const head = ['case', 'PyTorch', ...ours.flatMap((r) => [r.backend, `PyTorch ÷ ${r.backend}`])];
  const ran = CASE_ORDER.filter((id) => run.results.some((r) => r.cases.some((c) => c.id === id)));
  const rows = ran.map((id) => {
    const t = find(torch, id);
    return [
      TITLES[id] ?? id,
      torch?.available ? fmt(t?.value) : 'n/a',
      ...ours.flatMap((r) => {
        const c = find(r, id);
        const x = slowdown(t, c);
        const mark = c?.note?.startsWith('extrapolated') ? '*' : '';
        return [fmt(c?.value) + mark, x === null ? 'n/a' : `${x.toFixed(1)}×`];
      }),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const out = [line(head), sep, ...rows.map(line)];
  const notes: string[] = [];
  for (const r of run.results) {
    if (!r.available) notes.push(`${r.backend}: not available (${r.note})`);
    for (const c of r.cases) if (c.value === null) notes.push(`${r.backend} ${c.id}: n/a — ${c.note}`);
    for (const c of r.cases) if (c.value !== null && c.note) notes.push(`${r.backend} ${c.id}: * ${c.note}`);
  }
  return [...out, ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : [])].join('\n');
}

/** Top kernels per case and backend, when the run was profiled. */
export function profiles(run: BenchRun): string {
  const lines: string[] = [];
  for (const r of run.results) {
    for (const c of r.cases) {
      if (!c.profile?.length) continue;
      const top = c.profile.map((k) => `${k.kernel} ${(k.share * 100).toFixed(0)}%`).join(', ');
      const step = c.profile[0].share > 0 ? c.profile[0].ms / c.profile[0].share : 0;
      lines.push(`- ${r.backend} ${c.id} (${step.toFixed(0)} ms CPU/step): ${top}`);
    }
  }
  return lines.join('\n');
}

export function machineLine(run: BenchRun): string {
  const m = run.machine;
  const torch = run.results.find((r) => r.backend === 'pytorch');
  const i = torch?.info;
  const tv = i?.torch ? `PyTorch ${i.torch} (${i.threads} threads, ${i.blas ?? 'BLAS ?'}, OMP_WAIT_POLICY ${i.ompWaitPolicy ?? '?'})` : 'PyTorch n/a';
  const wasm = run.results.find((r) => r.backend === 'wasm' && r.available);
  const wt = wasm?.info?.threads ? `, wasm ${wasm.info.threads} thread${wasm.info.threads === 1 ? '' : 's'}` : '';
  return (
    `${run.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; ` +
    `Node ${m.node}, TF.js ${m.tfjs}${wt}; ${tv}. Load average before/after: ` +
    `${run.loadavg.before.join(' ')} / ${run.loadavg.after.join(' ')}.`
  );
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** `readme` with the section between the bench markers replaced by this run's table. */
export function updateReadme(readme: string, run: BenchRun, resultFile: string): string {
  const section = [
    START,
    `Latest run: ${machineLine(run)} Raw results: \`${resultFile}\`.`,
    '',
    table(run),
    ...(profiles(run) ? ['', 'Where a training step\'s CPU time goes (`--profile`: kernels wrapped over 3 steps, 1 below 1 step/s; "outside kernels" is TF.js engine and autograd bookkeeping, JS glue and GC):', '', profiles(run)] : []),
    END,
  ].join('\n');
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, i) + section + readme.slice(j + END.length);
}

/** `readme` with the text between `<!-- name:start -->` and `<!-- name:end -->` replaced (appended if absent). */
export function replaceSection(readme: string, name: string, text: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${text}\n${end}`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, i) + section + readme.slice(j + end.length);
}
