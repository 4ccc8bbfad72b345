// Deterministic test bytes shared with the C# tests: the SplitMix64 stream.
//
//   state = seed (unsigned 64-bit)
//   each step:
//     state = state + 0x9E3779B97F4A7C15            (mod 2^64)
//     z = state
//     z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9     (mod 2^64)
//     z = (z ^ (z >>> 27)) * 0x94D049BB133111EB     (mod 2^64)
//     z = z ^ (z >>> 31)
//     emit z as 8 bytes, little-endian
//   a length that is not a multiple of 8 keeps the first bytes of the last step.
//
// Vectors: seed 0, first z = 0xE220A8397B1DCDAF (the published SplitMix64 value);
// seed 1, first 16 bytes = c15c0289ec2d0a9167ec8e65a18debbe
// (z = 0x910A2DEC89025CC1, 0xBEEB8DA1658EEC67).
//
// Arithmetic is done on two unsigned 32-bit halves: BigInt is too slow for a 1 GiB stream.

/** 64-bit product (mod 2^64) of (ah:al) and (bh:bl); returns [hi, lo]. */
function mul64 (ah, al, bh, bl) {
  const a0 = al & 0xffff
  const a1 = al >>> 16
  const b0 = bl & 0xffff
  const b1 = bl >>> 16
  const p00 = a0 * b0
  const p01 = a0 * b1
  const p10 = a1 * b0
  const p11 = a1 * b1
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff)
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)
  const hi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0
  return [hi, lo]
}

export class SplitMix64 {
  /** @param {bigint} seed unsigned 64-bit seed */
  constructor (seed) {
    const s = BigInt.asUintN(64, BigInt(seed))
    this.hi = Number(s >> 32n)
    this.lo = Number(s & 0xffffffffn)
  }

  /** Fills `bytes` (length a multiple of 8) with the next bytes of the stream. */
  fill (bytes) {
    if (bytes.length % 8 !== 0) throw new RangeError('length must be a multiple of 8')
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let sh = this.hi
    let sl = this.lo
    for (let off = 0; off < bytes.length; off += 8) {
      // state += 0x9E3779B97F4A7C15
      const nl = (sl + 0x7F4A7C15) >>> 0
      sh = (sh + 0x9E3779B9 + (nl < sl ? 1 : 0)) >>> 0
      sl = nl
      let zh = sh
      let zl = sl
      // z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
      let xl = (zl ^ ((zl >>> 30) | (zh << 2))) >>> 0
      let xh = (zh ^ (zh >>> 30)) >>> 0;
      [zh, zl] = mul64(xh, xl, 0xBF58476D, 0x1CE4E5B9)
      // z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
      xl = (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0
      xh = (zh ^ (zh >>> 27)) >>> 0;
      [zh, zl] = mul64(xh, xl, 0x94D049BB, 0x133111EB)
      // z ^= z >>> 31
      zl = (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0
      zh = (zh ^ (zh >>> 31)) >>> 0
      view.setUint32(off, zl, true)
      view.setUint32(off + 4, zh, true)
    }
    this.hi = sh
    this.lo = sl
  }
}

/**
 * Yields `size` bytes of the SplitMix64 stream for `seed` in pieces of at most
 * `pieceSize` bytes (a multiple of 8). Each piece is a fresh buffer.
 */
export function * splitMix64Bytes (seed, size, pieceSize = 1 << 20) {
  if (pieceSize <= 0 || pieceSize % 8 !== 0) throw new RangeError('pieceSize must be a positive multiple of 8')
  const rng = new SplitMix64(seed)
  let left = size
  while (left > 0) {
    const n = Math.min(left, pieceSize)
    const buf = new Uint8Array(Math.ceil(n / 8) * 8)
    rng.fill(buf)
    yield n === buf.length ? buf : buf.subarray(0, n)
    left -= n
  }
}
