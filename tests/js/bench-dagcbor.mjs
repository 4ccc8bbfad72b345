// Times @ipld/dag-cbor encode and decode of the bundle-like document bench/Overlay.Bench uses
// (DagCborScenario.Document). Usage: node bench-dagcbor.mjs [iterations]. Prints one JSON line:
// {"hex":"<encoded document>","encodeOpsPerSec":n,"decodeOpsPerSec":n}.
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { toHex } from './lib/io.mjs'

const iterations = Number(process.argv[2] ?? 200000)
const payload = CID.create(1, raw.code, await sha256.digest(new TextEncoder().encode('segment')))
const doc = {
  v: 1,
  seq: 12345,
  class: 'live',
  created: 1700000000000,
  expires: 1700001800000,
  type: 'video/mp2t',
  dur: 4000000,
  disc: false,
  size: 1048576,
  payload
}
const bytes = dagCbor.encode(doc)
// Warm up the JIT the same way the C# side's first run does.
for (let i = 0; i < 10000; i++) dagCbor.decode(dagCbor.encode(doc))

let started = process.hrtime.bigint()
for (let i = 0; i < iterations; i++) dagCbor.encode(doc)
const encodeSeconds = Number(process.hrtime.bigint() - started) / 1e9
started = process.hrtime.bigint()
for (let i = 0; i < iterations; i++) dagCbor.decode(bytes)
const decodeSeconds = Number(process.hrtime.bigint() - started) / 1e9
console.log(JSON.stringify({ hex: toHex(bytes), encodeOpsPerSec: iterations / encodeSeconds, decodeOpsPerSec: iterations / decodeSeconds }))
