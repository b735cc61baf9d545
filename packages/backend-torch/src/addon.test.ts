import * as fs from 'fs';
import { ADDON_PATH, INSTALL_HINT, addonAvailable, loadAddon } from './addon';

describe('native addon loader', () => {
  it('loads the addon when it is built, else says why and what to install', () => {
    if (fs.existsSync(ADDON_PATH)) {
      expect(addonAvailable()).toBe(true);
      expect(loadAddon().version()).toMatch(/^\d+\.\d+/);
    } else {
      expect(addonAvailable()).toBe(false);
      expect(() => loadAddon()).toThrow(INSTALL_HINT);
      expect(INSTALL_HINT).toContain('apt-get install libtorch-dev');
      expect(INSTALL_HINT).toContain('LIBTORCH=');
    }
  });
});

describe('scripts/build.js', () => {
  it('exits 0 and records why when it cannot build (installing never fails)', () => {
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const path = require('path') as typeof import('path');
    const os = require('os') as typeof import('os');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-torch-build-'));
    const r = spawnSync(process.execPath, [path.join(__dirname, '../scripts/build.js'), '--out', out], {
      env: { ...process.env, LIBTORCH: path.join(out, 'no-libtorch-here') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const status = JSON.parse(fs.readFileSync(path.join(out, 'status.json'), 'utf8'));
    expect(status.ok).toBe(false);
    expect(status.reason).toContain('has no include/ATen/ATen.h and lib/libtorch_cpu.so');
    expect(r.stderr).toContain('apt-get install libtorch-dev (or set LIBTORCH=');
    expect(fs.existsSync(path.join(out, 'neuralzoo_torch.node'))).toBe(false);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
