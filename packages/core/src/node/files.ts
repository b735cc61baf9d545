/** File access for io (Node only): atomic writes and safetensors files. */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { parseSafetensors, serializeSafetensors, SafetensorsFile } from '../io/safetensors';

function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/** fsyncs a directory so a rename inside it is durable (a no-op where directories cannot be opened, e.g. Windows). */
export async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // fsync on a directory is not supported everywhere; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}

/** Writes `data` to `file` and fsyncs it (no rename). */
export async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await fs.promises.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `file` atomically: writes a temporary file in the same directory, fsyncs it, renames
 * it over `file` and fsyncs the directory. A crash leaves either the old or the new file, never
 * a partial one. Parent directories are created.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const target = path.resolve(file);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempName(target);
  try {
    await writeFileSynced(tmp, data);
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(target));
}

/** Writes tensors (and string metadata) to a safetensors file, atomically. */
export async function saveSafetensors(file: string, tensors: Record<string, tf.Tensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}

/** Reads a safetensors file (ours or PyTorch's); errors name the file. The caller owns the tensors. */
export async function loadSafetensors(file: string): Promise<SafetensorsFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`);
  }
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

export { tempName };
