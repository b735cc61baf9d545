import * as fs from 'fs';
import * as path from 'path';
import * as main from '../index';
import * as node from './index';

const NODE_BUILTINS = /^(node:)?(fs|path|os|crypto|worker_threads|child_process|net|http|https|stream|zlib|url|util|readline|cluster|dgram|dns|tls|v8|vm)(\/.*)?$/;

/** Every source file the module `file` reaches through relative imports. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = fs.readFileSync(file, 'utf8');
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const next = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (next) reachable(next, seen);
  }
  return seen;
}

describe('entry points', () => {
  it('the main entry reaches no Node built-in; the node entry does', () => {
    const builtinsOf = (entry: string) => {
      const hits: string[] = [];
      for (const file of reachable(entry)) {
        const src = fs.readFileSync(file, 'utf8');
        for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|require\('([^']+)'\)/g)) {
          const spec = m[1] ?? m[2];
          if (NODE_BUILTINS.test(spec) && !/^\s*import\s+type\b/.test(m[0])) hits.push(`${path.relative(path.join(__dirname, '..'), file)}: ${spec}`);
        }
      }
      return hits;
    };
    expect(builtinsOf(path.join(__dirname, '..', 'index.ts'))).toEqual([]);
    expect(builtinsOf(path.join(__dirname, 'index.ts')).length).toBeGreaterThan(0);
  });

  it('node io and train extend the main ones', () => {
    for (const k of Object.keys(main.io)) expect((node.io as Record<string, unknown>)[k]).toBe((main.io as Record<string, unknown>)[k]);
    for (const k of Object.keys(main.train)) expect((node.train as Record<string, unknown>)[k]).toBe((main.train as Record<string, unknown>)[k]);
    expect(Object.keys(node.io)).toEqual(expect.arrayContaining(['saveSafetensors', 'loadSafetensors', 'saveCheckpoint', 'loadCheckpoint']));
    expect(Object.keys(node.train)).toEqual(expect.arrayContaining(['ModelCheckpoint', 'MetricsLogger', 'fit', 'EarlyStopping']));
    expect('saveCheckpoint' in main.io).toBe(false);
    expect(node.registry).toBe(main.registry);
    expect(node.data.DataLoader).toBe(main.data.DataLoader);
  });
});
