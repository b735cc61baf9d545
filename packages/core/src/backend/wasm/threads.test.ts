import { init, backendInfo } from '../init';
import { wasmThreadsInUse } from './index';

describe('wasm threads', () => {
  it('reports the thread count XNNPACK really uses (1 in Node), whatever was requested', async () => {
    const info = await init({ backend: 'wasm', threads: 4 });
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(wasmThreadsInUse());
    // TF.js disables the threaded binary under Node (it needs Workers from blob: URLs).
    expect(info.threads).toBe(1);
    expect(backendInfo().threads).toBe(1);
  });
});
