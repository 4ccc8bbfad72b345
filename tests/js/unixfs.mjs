// UnixFS file import with Helia (@helia/unixfs addByteStream), for CID conformance tests.
// Run with the Node 22 binary: scripts/node tests/js/unixfs.mjs ...
//
//   unixfs.mjs <file path> [--blocks]
//   unixfs.mjs --size <N bytes> --seed <S> [--blocks]
//
// Prints the root CID (base32 CIDv1) on the first line. With --blocks, then prints one
// line per block the importer wrote, in write order: "<CID> <block length in bytes>".
// The --size form imports N bytes of the SplitMix64 stream for seed S (an unsigned 64-bit
// decimal) without writing a file; the generator is defined in lib/splitmix64.mjs:
//
//   state = S; each step: state += 0x9E3779B97F4A7C15; z = state;
//   z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
//   z ^= z >>> 31; emit z as 8 bytes little-endian (all mod 2^64); the last step is cut
//   to N. Seed 1, first 16 bytes: c15c0289ec2d0a9167ec8e65a18debbe.
//
// Importer settings = the unixfs-v1-2025 profile (IPIP-499), spelled out so a change of
// library defaults cannot move them: CIDv1, raw leaves (codec raw 0x55), fixed 1 MiB
// (1048576-byte) chunks, balanced layout with at most 1024 links per dag-pb node,
// reduceSingleLeafToSelf (a file of one chunk is just its raw leaf), links before data in
// dag-pb nodes. Observed with ipfs-unixfs-importer 17.1.1: an empty file is a single empty
// raw leaf, bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku (sha2-256 of "").
//
// Blocks are not kept (a write-only blockstore), so 1 GiB imports need little memory.
// Exit code 0 on success, 1 on an import error, 2 on bad usage.
import { createReadStream } from 'node:fs'
import { unixfs } from '@helia/unixfs'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { splitMix64Bytes } from './lib/splitmix64.mjs'
import { usage, writeLine } from './lib/io.mjs'

const CHUNK_SIZE = 1_048_576
const MAX_CHILDREN_PER_NODE = 1024

/** Accepts writes, remembers each CID and length, and keeps no bytes. */
class RecordingBlockstore {
  constructor () {
    this.written = []
  }

  async put (cid, bytes) {
    this.written.push([cid, bytes.length])
    return cid
  }

  async has () {
    return false
  }

  async * get (cid) {
    throw new Error(`write-only blockstore has no ${cid}`)
  }
}

function parseArgs (argv) {
  const opts = { blocks: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--blocks') opts.blocks = true
    else if (arg === '--size') opts.size = argv[++i]
    else if (arg === '--seed') opts.seed = argv[++i]
    else if (!arg.startsWith('--') && opts.path == null) opts.path = arg
    else return null
  }
  const generated = opts.size != null || opts.seed != null
  if (generated === (opts.path != null)) return null
  if (generated) {
    if (!/^\d+$/.test(opts.size ?? '') || !/^\d+$/.test(opts.seed ?? '')) return null
    opts.size = Number(opts.size)
    opts.seed = BigInt(opts.seed)
    if (!Number.isSafeInteger(opts.size) || opts.seed >= 1n << 64n) return null
  }
  return opts
}

const opts = parseArgs(process.argv.slice(2))
if (opts == null) {
  usage('usage: unixfs.mjs <file> [--blocks] | unixfs.mjs --size <N> --seed <S> [--blocks]')
} else {
  const blockstore = new RecordingBlockstore()
  const source = opts.path != null
    ? createReadStream(opts.path, { highWaterMark: CHUNK_SIZE })
    : splitMix64Bytes(opts.seed, opts.size)
  try {
    const root = await unixfs({ blockstore }).addByteStream(source, {
      profile: 'unixfs-v1-2025',
      cidVersion: 1,
      rawLeaves: true,
      reduceSingleLeafToSelf: true,
      chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
      layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE })
    })
    await writeLine(root.toString())
    if (opts.blocks) {
      for (const [cid, length] of blockstore.written) await writeLine(`${cid} ${length}`)
    }
  } catch (err) {
    process.stderr.write(`unixfs.mjs: ${err.stack ?? err}\n`)
    process.exitCode = 1
  }
}
