/**
 * Checkpoint directories (Node only): `model.safetensors`, `optimizer.safetensors` and
 * `checkpoint.json` (epoch, step, RNG, optimizer groups and scalar state, scheduler state, a
 * SHA-256 of each file). Saving writes a temporary directory and renames it into place, so a
 * crash never leaves half a checkpoint and the previous one stays intact until the new one is
 * complete. Loading verifies checksums and shapes before loading anything.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  CheckpointContents,
  CheckpointManifest,
  LoadTargets,
  LoadedCheckpoint,
  MANIFEST_FILE,
  checkManifest,
  fromJson,
  packCheckpoint,
  toJson,
  unpackCheckpoint,
} from '../io/checkpoint';
import { syncDir, tempName, writeFileSynced } from './files';

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.promises.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Saves a checkpoint into directory `dir` (replacing an existing one atomically). `rng` defaults
 * to the default generator's state; `epoch` counts completed epochs. Returns the manifest.
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<CheckpointManifest> {
  const target = path.resolve(dir);
  if (await exists(target)) {
    // Never replace (and so delete) a directory that is not a checkpoint.
    const entries = await fs.promises.readdir(target);
    if (entries.length && !entries.includes(MANIFEST_FILE))
      throw new Error(`saveCheckpoint: ${dir} exists and is not a checkpoint (no ${MANIFEST_FILE}); refusing to replace it`);
  }
  const { files, manifest } = packCheckpoint(contents);
  for (const [name, bytes] of Object.entries(files)) manifest.files[name] = { bytes: bytes.length, sha256: sha256(bytes) };
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempName(target);
  const prev = `${target}.prev`;
  await fs.promises.mkdir(tmp);
  try {
    for (const [name, bytes] of Object.entries(files)) await writeFileSynced(path.join(tmp, name), bytes);
    await writeFileSynced(path.join(tmp, MANIFEST_FILE), toJson(manifest) + '\n'); // last: its presence marks a complete checkpoint
    await syncDir(tmp);
    if (await exists(target)) {
      await fs.promises.rm(prev, { recursive: true, force: true });
      await fs.promises.rename(target, prev);
    }
    await fs.promises.rename(tmp, target);
    await syncDir(path.dirname(target));
  } catch (e) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    if (!(await exists(target)) && (await exists(prev))) await fs.promises.rename(prev, target);
    throw e;
  }
  await fs.promises.rm(prev, { recursive: true, force: true });
  return manifest;
}

/** Reads and validates `dir/checkpoint.json` and every file it lists (sizes and SHA-256). */
export async function readCheckpointFiles(dir: string): Promise<{ dir: string; manifest: CheckpointManifest; files: Record<string, Uint8Array> }> {
  let root = path.resolve(dir);
  if (!(await exists(path.join(root, MANIFEST_FILE))) && (await exists(path.join(`${root}.prev`, MANIFEST_FILE)))) root = `${root}.prev`; // a save was interrupted mid-swap
  const manifestPath = path.join(root, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.promises.readFile(manifestPath, 'utf8');
  } catch {
    throw new Error(`${dir}: no checkpoint here (${manifestPath} is missing)`);
  }
  let parsed: unknown;
  try {
    parsed = fromJson(text);
  } catch (e) {
    throw new Error(`${manifestPath}: corrupt or truncated (not JSON: ${(e as Error).message})`);
  }
  const manifest = checkManifest(parsed, manifestPath);
  if (!manifest.files[manifest.model.file]) throw new Error(`${manifestPath}: lists no checksum for ${manifest.model.file}`);
  const files: Record<string, Uint8Array> = {};
  for (const [name, { bytes, sha256: expected }] of Object.entries(manifest.files)) {
    const file = path.join(root, name);
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch {
      throw new Error(`${file}: missing from the checkpoint`);
    }
    if (data.length !== bytes) throw new Error(`${file}: truncated or corrupt: ${data.length} bytes, the manifest says ${bytes}`);
    const actual = sha256(data);
    if (actual !== expected) throw new Error(`${file}: corrupt: SHA-256 ${actual.slice(0, 12)}… does not match the manifest's ${String(expected).slice(0, 12)}…`);
    files[name] = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return { dir: root, manifest, files };
}

/**
 * Loads a checkpoint saved by `saveCheckpoint` into `model` (and `optimizer`, `scheduler`),
 * restoring the default generator's state unless `restoreRng` is false. Checksums, tensor names
 * and shapes are all verified before anything is loaded. Returns `{ epoch, step, extra, rng }`.
 */
export async function loadCheckpoint(dir: string, targets: LoadTargets): Promise<LoadedCheckpoint> {
  const { dir: root, manifest, files } = await readCheckpointFiles(dir);
  return unpackCheckpoint(files, manifest, targets, root);
}

/**
 * The most advanced checkpoint directly under `root` (highest step, then epoch), or null. Useful
 * with ModelCheckpoint's `epoch_0001`, `epoch_0002`… directories.
 */
export async function findLatestCheckpoint(root: string): Promise<string | null> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(root, { withFileTypes: true });
  } catch {
    return null;
  }
  let best: { dir: string; step: number; epoch: number } | null = null;
  for (const e of entries) {
    if (!e.isDirectory() || /\.(prev|tmp-.*)$/.test(e.name)) continue;
    const dir = path.join(root, e.name);
    try {
      const m = fromJson<CheckpointManifest>(await fs.promises.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
      if (!best || m.step > best.step || (m.step === best.step && m.epoch > best.epoch)) best = { dir, step: m.step, epoch: m.epoch };
    } catch {
      // not a checkpoint
    }
  }
  return best?.dir ?? null;
}
