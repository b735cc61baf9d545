/**
 * A small .xz decompressor (the format R uses for `save(..., compress = "xz")` data files): the
 * xz container (stream header, blocks, index) around LZMA2 chunks, each an LZMA stream decoded by
 * a range decoder (Pavlov's LZMA as specified in the xz file-format description and the LZMA SDK
 * documentation). Only the LZMA2 filter is supported (no BCJ/delta filters); integrity checks
 * are skipped (callers validate what they parse).
 */

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

class Output {
  buf = new Uint8Array(1 << 16);
  pos = 0;
  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/** LZMA decoder state kept across LZMA2 chunks (probabilities, state, reps, lc/lp/pb). */
class Lzma {
  lc = 0;
  lp = 0;
  pb = 0;
  state = 0;
  reps = [0, 0, 0, 0];
  probs = new Uint16Array(0);
  // Offsets of each model inside `probs`.
  private isMatch = 0;
  private isRep = 0;
  private isRepG0 = 0;
  private isRepG1 = 0;
  private isRepG2 = 0;
  private isRep0Long = 0;
  private posSlot = 0;
  private specPos = 0;
  private align = 0;
  private matchLen = 0;
  private repLen = 0;
  private literal = 0;
  // Range decoder.
  private input: Uint8Array = new Uint8Array(0);
  private inPos = 0;
  private range = 0;
  private code = 0;

  setProps(props: number): void {
    if (props >= 9 * 5 * 5) throw new Error(`xzDecompress: invalid LZMA properties byte ${props}`);
    this.lc = props % 9;
    this.lp = Math.floor(props / 9) % 5;
    this.pb = Math.floor(props / 45);
    if (this.lc + this.lp > 4) throw new Error(`xzDecompress: LZMA2 needs lc + lp <= 4, got ${this.lc} + ${this.lp}`);
  }

  resetState(): void {
    let at = 0;
    const take = (n: number) => ((at += n), at - n);
    this.isMatch = take(12 << 4);
    this.isRep = take(12);
    this.isRepG0 = take(12);
    this.isRepG1 = take(12);
    this.isRepG2 = take(12);
    this.isRep0Long = take(12 << 4);
    this.posSlot = take(4 << 6);
    this.specPos = take(115);
    this.align = take(16);
    this.matchLen = take(2 + 16 * 8 + 16 * 8 + 256);
    this.repLen = take(2 + 16 * 8 + 16 * 8 + 256);
    this.literal = take(0x300 << (this.lc + this.lp));
    this.probs = new Uint16Array(at).fill(1024);
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  private initRange(input: Uint8Array, at: number): void {
    this.input = input;
    if (input[at] !== 0) throw new Error('xzDecompress: corrupt LZMA chunk (range coder must start with a zero byte)');
    this.code = ((input[at + 1] << 24) | (input[at + 2] << 16) | (input[at + 3] << 8) | input[at + 4]) >>> 0;
    this.range = 0xffffffff;
    this.inPos = at + 5;
  }

  private bit(i: number): number {
    const p = this.probs[i];
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      this.probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) >>> 0;
      this.code = (this.code - bound) >>> 0;
      this.probs[i] = p - (p >>> 5);
      b = 1;
    }
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.input[this.inPos++]) >>> 0;
    }
    return b;
  }

  private direct(n: number): number {
    let r = 0;
    for (let i = 0; i < n; i++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code = (this.code - this.range) >>> 0;
        b = 1;
      }
      r = ((r << 1) | b) >>> 0;
      if (this.range < 0x1000000) {
        this.range = (this.range << 8) >>> 0;
        this.code = ((this.code << 8) | this.input[this.inPos++]) >>> 0;
      }
    }
    return r;
  }

  private tree(base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(base + m);
    return m - (1 << bits);
  }

  private reverseTree(base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }

  private length(base: number, posState: number): number {
    // Layout: choice, choice2, low[16][8], mid[16][8], high[256].
    if (!this.bit(base)) return this.tree(base + 2 + posState * 8, 3);
    if (!this.bit(base + 1)) return 8 + this.tree(base + 2 + 128 + posState * 8, 3);
    return 16 + this.tree(base + 2 + 256, 8);
  }

  /** Decodes one LZMA chunk of `unpacked` bytes starting at input[at]; returns the input end. */
  decodeChunk(input: Uint8Array, at: number, packed: number, unpacked: number, out: Output, dictStart: number): number {
    this.initRange(input, at);
    out.ensure(unpacked);
    const buf = out.buf;
    const end = out.pos + unpacked;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    let pos = out.pos;
    let { state } = this;
    const reps = this.reps;
    while (pos < end) {
      const rel = pos - dictStart; // positions count from the last dictionary reset
      const posState = rel & pbMask;
      if (!this.bit(this.isMatch + (state << 4) + posState)) {
        const prev = pos > dictStart ? buf[pos - 1] : 0;
        const base = this.literal + 0x300 * (((rel & lpMask) << this.lc) + (prev >> (8 - this.lc)));
        let sym = 1;
        if (state >= 7) {
          let matchByte = buf[pos - reps[0] - 1];
          do {
            const matchBit = (matchByte >> 7) & 1;
            matchByte <<= 1;
            const b = this.bit(base + 0x100 + (matchBit << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | this.bit(base + sym);
        buf[pos++] = sym & 0xff;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (this.bit(this.isRep + state)) {
        if (!this.bit(this.isRepG0 + state)) {
          if (!this.bit(this.isRep0Long + (state << 4) + posState)) {
            state = state < 7 ? 9 : 11;
            buf[pos] = buf[pos - reps[0] - 1];
            pos++;
            continue;
          }
        } else {
          let dist: number;
          if (!this.bit(this.isRepG1 + state)) dist = reps[1];
          else {
            if (!this.bit(this.isRepG2 + state)) dist = reps[2];
            else {
              dist = reps[3];
              reps[3] = reps[2];
            }
            reps[2] = reps[1];
          }
          reps[1] = reps[0];
          reps[0] = dist;
        }
        len = this.length(this.repLen, posState);
        state = state < 7 ? 8 : 11;
      } else {
        reps[3] = reps[2];
        reps[2] = reps[1];
        reps[1] = reps[0];
        len = this.length(this.matchLen, posState);
        state = state < 7 ? 7 : 10;
        const slot = this.tree(this.posSlot + (Math.min(len, 3) << 6), 6);
        if (slot < 4) reps[0] = slot;
        else {
          const n = (slot >> 1) - 1;
          let dist = ((2 | (slot & 1)) << n) >>> 0;
          if (slot < 14) dist += this.reverseTree(this.specPos + dist - slot - 1, n);
          else dist = (dist + ((this.direct(n - 4) << 4) >>> 0) + this.reverseTree(this.align, 4)) >>> 0;
          reps[0] = dist;
        }
      }
      const count = len + 2;
      const from = pos - reps[0] - 1;
      if (from < dictStart) throw new Error(`xzDecompress: corrupt LZMA data (distance ${reps[0] + 1} reaches before the dictionary)`);
      if (pos + count > end) throw new Error('xzDecompress: corrupt LZMA data (match runs past the chunk)');
      for (let k = 0; k < count; k++) buf[pos + k] = buf[from + k];
      pos += count;
    }
    this.state = state;
    out.pos = pos;
    if (this.inPos > at + packed) throw new Error('xzDecompress: corrupt LZMA chunk (read past its packed size)');
    return at + packed;
  }
}

function varint(buf: Uint8Array, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const b = buf[at + i];
    v += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return [v, at + i + 1];
  }
  throw new Error('xzDecompress: corrupt variable-length integer');
}

/** Decompresses a complete .xz file (one or more streams of LZMA2 blocks). */
export function xzDecompress(input: Uint8Array): Uint8Array {
  const out = new Output();
  let at = 0;
  while (at < input.length) {
    if (!MAGIC.every((m, i) => input[at + i] === m)) {
      if (at > 0 && input.subarray(at).every((b) => b === 0)) break; // stream padding
      throw new Error('xzDecompress: not an xz stream (bad magic bytes)');
    }
    const check = input[at + 7] & 0x0f;
    at += 12;
    // Blocks until the index (whose first byte is 0).
    while (input[at] !== 0) {
      const headerSize = (input[at] + 1) * 4;
      const flags = input[at + 1];
      let p = at + 2;
      if (flags & 0x40) p = varint(input, p)[1];
      if (flags & 0x80) p = varint(input, p)[1];
      const filters = (flags & 3) + 1;
      let dictStart = out.pos;
      for (let f = 0; f < filters; f++) {
        const [id, q] = varint(input, p);
        const [size, r] = varint(input, q);
        if (id !== 0x21 || filters !== 1) throw new Error(`xzDecompress: filter 0x${id.toString(16)} is not supported (only LZMA2)`);
        p = r + size;
      }
      at += headerSize;
      const lzma = new Lzma();
      let needProps = true;
      for (;;) {
        const c = input[at++];
        if (c === 0x00) break;
        if (c === 0x01 || c === 0x02) {
          const size = ((input[at] << 8) | input[at + 1]) + 1;
          if (c === 0x01) dictStart = out.pos;
          out.ensure(size);
          out.buf.set(input.subarray(at + 2, at + 2 + size), out.pos);
          out.pos += size;
          at += 2 + size;
          continue;
        }
        if (c < 0x80) throw new Error(`xzDecompress: invalid LZMA2 control byte 0x${c.toString(16)}`);
        const unpacked = ((c & 0x1f) << 16) + ((input[at] << 8) | input[at + 1]) + 1;
        const packed = ((input[at + 2] << 8) | input[at + 3]) + 1;
        at += 4;
        const reset = (c >> 5) & 3;
        if (reset === 3) dictStart = out.pos;
        if (reset >= 2) {
          lzma.setProps(input[at++]);
          needProps = false;
        } else if (needProps) throw new Error('xzDecompress: LZMA2 chunk without properties');
        if (reset >= 1) lzma.resetState();
        at = lzma.decodeChunk(input, at, packed, unpacked, out, dictStart);
      }
      while (at % 4) at++; // block padding (the stream starts 4-aligned)
      at += CHECK_SIZES[check];
    }
    // Index: indicator, record count, records (unpadded size, uncompressed size), padding, CRC32.
    let [records, p] = varint(input, at + 1);
    for (; records > 0; records--) p = varint(input, varint(input, p)[1])[1];
    while (p % 4) p++;
    at = p + 4 + 12; // index CRC32 and the stream footer
  }
  return out.buf.slice(0, out.pos);
}
