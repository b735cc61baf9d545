import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setBuildDir } from '@neuralzoo/backend-torch';
import { doctorCommand } from './doctor';

describe('neuralzoo doctor and the torch backend', () => {
  it('says why torch was skipped and what to install when its addon could not be built', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-torch-'));
    // what scripts/build.js records on a machine without libtorch
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ ok: false, reason: 'libtorch not found (no LIBTORCH and no Debian libtorch-dev)' }));
    setBuildDir(dir);
    const lines: string[] = [];
    await doctorCommand({}, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(lines[0]).not.toMatch(/^backend: torch/);
    expect(text).toMatch(/\n {2}torch: libtorch not found \(no LIBTORCH and no Debian libtorch-dev\); install libtorch \(`apt-get install libtorch-dev`, or set LIBTORCH=/);
    expect(text).toMatch(/\n {4}to enable: .*`apt-get install libtorch-dev` or LIBTORCH=<libtorch or python torch dir>/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
