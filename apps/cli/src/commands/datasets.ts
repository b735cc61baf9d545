import { listDatasets } from '@neuralzoo/datasets';
import { formatTable } from '../table';

/** Human-readable byte count: 1,536 → '1.5 KB'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/**
 * `neuralzoo datasets`: every data source @neuralzoo/datasets loads, whether it is installed
 * here, its size on disk, and the command that installs a missing one.
 */
export function datasetsCommand(options: { domain?: string }, print: (line: string) => void): void {
  const all = listDatasets();
  const domains = [...new Set(all.map((d) => d.domain))].sort();
  if (options.domain !== undefined && !domains.includes(options.domain as never))
    throw new Error(`neuralzoo datasets: unknown domain '${options.domain}'; expected one of ${domains.join(', ')}`);
  const shown = all.filter((d) => options.domain === undefined || d.domain === options.domain);
  const rows = [['NAME', 'DOMAIN', 'KIND', 'HERE', 'SIZE', 'LOADERS', 'INSTALL']];
  for (const d of shown) {
    const here = d.kind === 'synthetic' ? 'generated' : d.available ? 'yes' : 'no';
    rows.push([d.name, d.domain, d.kind, here, d.available && d.bytes ? formatBytes(d.bytes) : '-', d.loaders.join(', '), d.available ? '' : d.install]);
  }
  print(formatTable(rows));
  const missing = shown.filter((d) => !d.available).length;
  print(`\n${shown.length} source${shown.length === 1 ? '' : 's'}, ${shown.length - missing} available here${missing ? `; install a missing one with the command in INSTALL` : ''}`);
}
