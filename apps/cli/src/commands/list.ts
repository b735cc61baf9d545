import { loadRegistry } from '../models';
import { formatTable } from '../table';

/** `neuralzoo list`: one row per registered model with its recipe's data set and target metric. */
export function listCommand(print: (line: string) => void): void {
  const entries = loadRegistry().list();
  if (!entries.length) {
    print('no model is registered (install a domain package such as @neuralzoo/vision)');
    return;
  }
  const rows = [['MODEL', 'TASK', 'DOMAIN', 'DATA SET', 'TARGET', 'DESCRIPTION']];
  for (const e of entries) {
    const r = e.recipe;
    const target = r?.target !== undefined ? `${r.metric} ${r.metric === 'accuracy' ? `${(100 * r.target).toFixed(1)}%` : r.target}` : '-';
    rows.push([e.name, e.task, e.domain, r?.dataset ?? '-', target, e.description ?? '']);
  }
  print(formatTable(rows));
  print(`\n${entries.length} model${entries.length === 1 ? '' : 's'}; train one with: neuralzoo train <model>`);
}
