import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nn, tf, data, train } from './index';
import { crc32c, maskedCrc32c, tfRecord } from './tensorboard';

/** Reads TFRecords, checking both masked CRCs. */
function records(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 0; pos < bytes.length; ) {
    const n = Number(view.getBigUint64(pos, true));
    expect(view.getUint32(pos + 8, true)).toBe(maskedCrc32c(bytes.subarray(pos, pos + 8)));
    const d = bytes.subarray(pos + 12, pos + 12 + n);
    expect(view.getUint32(pos + 12 + n, true)).toBe(maskedCrc32c(d));
    out.push(d);
    pos += 16 + n;
  }
  return out;
}

/** Minimal protobuf decoder: field number -> list of raw values. */
function fields(buf: Uint8Array): Map<number, Array<number | bigint | Uint8Array>> {
  const out = new Map<number, Array<number | bigint | Uint8Array>>();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return v;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    let v: number | bigint | Uint8Array;
    if (wire === 0) v = varint();
    else if (wire === 1) {
      v = view.getFloat64(pos, true);
      pos += 8;
    } else if (wire === 5) {
      v = view.getFloat32(pos, true);
      pos += 4;
    } else if (wire === 2) {
      const n = Number(varint());
      v = buf.subarray(pos, pos + n);
      pos += n;
    } else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), v]);
  }
  return out;
}

function scalars(file: string): Array<{ step: number; values: Record<string, number> }> {
  return records(new Uint8Array(fs.readFileSync(file)))
    .map((r) => fields(r))
    .filter((ev) => ev.has(5))
    .map((ev) => {
      const values: Record<string, number> = {};
      for (const v of fields(ev.get(5)![0] as Uint8Array).get(1) as Uint8Array[]) {
        const f = fields(v);
        values[new TextDecoder().decode(f.get(1)![0] as Uint8Array)] = f.get(2)![0] as number;
      }
      return { step: Number(ev.get(2)![0]), values };
    });
}

describe('TensorBoard event files', () => {
  it('CRC-32C matches the standard check value and records frame their data', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    const r = tfRecord(Uint8Array.of(1, 2, 3));
    expect(r.length).toBe(19);
    expect(Array.from(r.subarray(0, 8))).toEqual([3, 0, 0, 0, 0, 0, 0, 0]);
    expect(records(r)).toEqual([Uint8Array.of(1, 2, 3)]);
  });

  it('SummaryWriter and TensorBoardLogger write decodable scalar events', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-tb-'));
    const w = new train.SummaryWriter(path.join(dir, 'w'));
    w.addScalar('loss', 0.25, 3);
    w.addScalars([['a', 1.5], ['b', NaN]], 4);
    const first = fields(records(new Uint8Array(fs.readFileSync(w.file)))[0]);
    expect(new TextDecoder().decode(first.get(3)![0] as Uint8Array)).toBe('brain.Event:2');
    expect(scalars(w.file)).toEqual([{ step: 3, values: { loss: 0.25 } }, { step: 4, values: { a: 1.5 } }]);

    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    const ds = new data.TensorDataset(x, y);
    const model = new nn.Linear(2, 1);
    const sgd = {
      paramGroups: [{ lr: 0.01 }],
      step: () => model.parameters().forEach((p) => tf.tidy(() => p.data.assign(p.data.sub(p.grad!.mul(0.01))))),
      zeroGrad: () => model.zeroGrad(),
    };
    const h = await train.fit(model, {
      train: new data.DataLoader(ds, { batchSize: 2 }),
      val: new data.DataLoader(ds, { batchSize: 4 }),
      loss: 'mseLoss',
      optimizer: sgd,
      epochs: 2,
      metrics: ['mae'],
      verbose: false,
      callbacks: [new train.TensorBoardLogger(path.join(dir, 'run'), { everySteps: 1 })],
    });
    const trainFile = fs.readdirSync(path.join(dir, 'run', 'train'))[0];
    const valFile = fs.readdirSync(path.join(dir, 'run', 'validation'))[0];
    expect(trainFile).toMatch(/^events\.out\.tfevents\.\d+\./);
    const t = scalars(path.join(dir, 'run', 'train', trainFile));
    expect(t.map((e) => [e.step, Object.keys(e.values).join(',')])).toEqual([
      [1, 'batch_loss'],
      [2, 'batch_loss'],
      [0, 'epoch_loss,epoch_mae,epoch_lr'],
      [3, 'batch_loss'],
      [4, 'batch_loss'],
      [1, 'epoch_loss,epoch_mae,epoch_lr'],
    ]);
    expect(t[5].values.epoch_loss).toBeCloseTo(h.train.loss[1], 5);
    expect(t[5].values.epoch_lr).toBeCloseTo(0.01, 7);
    const v = scalars(path.join(dir, 'run', 'validation', valFile));
    expect(v.map((e) => e.step)).toEqual([0, 1]);
    expect(v[1].values.epoch_loss).toBeCloseTo(h.val.loss[1], 5);
    expect(v[1].values.epoch_mae).toBeCloseTo(h.val.mae[1], 5);
    model.dispose();
    ds.dispose();
  });
});
