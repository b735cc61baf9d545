import { Collective, ReduceOp, checkOp, reduceInto } from '../../parallel/collective';

/** Raised in a replica whose collective was aborted because another replica (or the main thread) failed. */
export class CollectiveAborted extends Error {
  constructor(readonly by: number) {
    super(by >= 0 ? `collective aborted: worker ${by} failed` : 'collective aborted by the main thread');
    this.name = 'CollectiveAborted';
  }
}

// Indices in the Int32 control array.
const COUNT = 0; // ranks arrived at the current barrier
const GEN = 1; // barrier generation, bumped when the last rank arrives
const ABORT = 2; // 0, or (failing rank + 1), or -1 for the main thread
export const CONTROL_INTS = 4;

/** The shared memory behind a `SharedMemoryCollective`, passed to each worker once. */
export interface SharedMemoryHandles {
  /** Int32 control words (barrier counter, generation, abort flag). */
  control: SharedArrayBuffer;
  /** (worldSize + 1) × capacity float32: one slot per rank, then the result slot. */
  data: SharedArrayBuffer;
  worldSize: number;
  /** Floats per slot; longer vectors go through in chunks. */
  capacity: number;
}

/** Allocates the shared memory for `worldSize` ranks exchanging vectors of up to `capacity` floats at a time. */
export function allocateSharedMemory(worldSize: number, capacity: number): SharedMemoryHandles {
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new Error(`worldSize must be a positive integer, got ${worldSize}`);
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be a positive integer, got ${capacity}`);
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    data: new SharedArrayBuffer((worldSize + 1) * capacity * 4),
    worldSize,
    capacity,
  };
}

/**
 * Marks the collective as failed and wakes every rank blocked in it; they throw
 * `CollectiveAborted`. `by` is the failing rank, or -1 for the main thread.
 */
export function abortSharedMemory(handles: SharedMemoryHandles, by: number): void {
  const ctrl = new Int32Array(handles.control);
  Atomics.compareExchange(ctrl, ABORT, 0, by >= 0 ? by + 1 : -1);
  Atomics.add(ctrl, GEN, 1);
  Atomics.notify(ctrl, GEN);
}

/** Which rank aborted the collective (-1: the main thread), or null while it is healthy. */
export function abortedBy(handles: SharedMemoryHandles): number | null {
  const v = Atomics.load(new Int32Array(handles.control), ABORT);
  return v === 0 ? null : v > 0 ? v - 1 : -1;
}

/**
 * `Collective` over SharedArrayBuffer for worker threads of one process. allReduce is a
 * shared-memory reduce-scatter + all-gather: each rank writes its vector into its own slot, then
 * reduces its 1/N of the elements over all slots (in rank order, so every rank reads the same
 * bits) into the result slot, then every rank copies the result out. No data goes through the
 * main thread; ranks wait on each other with Atomics.wait, so this runs in worker threads (or a
 * Node main thread), never in a browser's main thread.
 */
export class SharedMemoryCollective implements Collective {
  readonly worldSize: number;
  private readonly ctrl: Int32Array;
  private readonly slots: Float32Array[];
  private readonly result: Float32Array;
  private readonly capacity: number;

  constructor(
    readonly handles: SharedMemoryHandles,
    readonly rank: number,
    /** Milliseconds a rank waits at a barrier before it gives up (a peer hung). Default: forever. */
    private readonly timeoutMs = Infinity,
  ) {
    this.worldSize = handles.worldSize;
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.worldSize) throw new Error(`SharedMemoryCollective: rank ${rank} is out of range for world size ${this.worldSize}`);
    this.capacity = handles.capacity;
    this.ctrl = new Int32Array(handles.control);
    this.slots = Array.from({ length: this.worldSize }, (_, r) => new Float32Array(handles.data, r * this.capacity * 4, this.capacity));
    this.result = new Float32Array(handles.data, this.worldSize * this.capacity * 4, this.capacity);
  }

  barrier(): void {
    this.checkAbort();
    const gen = Atomics.load(this.ctrl, GEN);
    if (Atomics.add(this.ctrl, COUNT, 1) === this.worldSize - 1) {
      Atomics.store(this.ctrl, COUNT, 0);
      Atomics.add(this.ctrl, GEN, 1);
      Atomics.notify(this.ctrl, GEN);
    } else {
      const deadline = Date.now() + this.timeoutMs;
      while (Atomics.load(this.ctrl, GEN) === gen) {
        this.checkAbort();
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`barrier: rank ${this.rank} waited ${this.timeoutMs} ms for the other ranks`);
        Atomics.wait(this.ctrl, GEN, gen, Math.min(left, 1000));
      }
    }
    this.checkAbort();
  }

  allReduce(data: Float32Array, op: ReduceOp = 'sum'): void {
    checkOp(op);
    if (this.worldSize === 1) return;
    const mine = this.slots[this.rank];
    for (let start = 0; start < data.length; start += this.capacity) {
      const n = Math.min(this.capacity, data.length - start);
      mine.set(data.subarray(start, start + n));
      this.barrier();
      // This rank reduces elements [lo, hi) of the chunk.
      const per = Math.ceil(n / this.worldSize);
      const lo = Math.min(n, this.rank * per);
      const hi = Math.min(n, lo + per);
      reduceInto(this.result, this.slots, op, lo, hi);
      this.barrier();
      data.set(this.result.subarray(0, n), start);
      this.barrier();
    }
  }

  broadcast(data: Float32Array, root = 0): void {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize) throw new Error(`broadcast: root ${root} is out of range for world size ${this.worldSize}`);
    if (this.worldSize === 1) return;
    for (let start = 0; start < data.length; start += this.capacity) {
      const n = Math.min(this.capacity, data.length - start);
      if (this.rank === root) this.result.set(data.subarray(start, start + n));
      this.barrier();
      if (this.rank !== root) data.set(this.result.subarray(0, n), start);
      this.barrier();
    }
  }

  /** Marks the collective failed (by this rank) and wakes every waiting rank. */
  abort(): void {
    abortSharedMemory(this.handles, this.rank);
  }

  private checkAbort(): void {
    const by = abortedBy(this.handles);
    if (by !== null) throw new CollectiveAborted(by);
  }
}
