// js-libp2p 3 side of bench/Overlay.Bench's gossipsub scenario: NODES @libp2p/gossipsub 17 nodes in
// this one Node process, as `Overlay.Bench --gossipsub` runs NODES Overlay nodes in one .NET
// process, with the same topology, parameters and traffic. Run with Node 22.
//
//   node bench-gossipsub.mjs NODES MESSAGES SIZE RATE
//
// Each node: TCP on 127.0.0.1, Noise, yamux, identify, gossipsub with StrictSign, D 6, D_lo 5,
// D_hi 12, D_lazy 6, 1 s heartbeat, flood publishing (Overlay's defaults, set explicitly since
// js's D_lo is 4), all subscribed to one topic. Node i dials nodes i+1, i+2, i+4 and i+8
// (mod NODES). Once every mesh has D_lo peers (or 15 s passed), MESSAGES messages of SIZE bytes
// are published at RATE per second by the nodes in turn. Prints {"ms":[…] (publish call to the
// 'message' event, per delivery), "expected", "duplicates" (copies of already-seen messages all
// nodes received: counted where gossipsub reports them to its peer scoring), "meshSizeMin",
// "meshSizeMax", "meshSizeMean", "meshWaitSeconds"}.
import { createLibp2p } from 'libp2p'
import { benchNodeOptions, D_LOW } from './lib/bench-node.mjs'

const TOPIC = 'overlay-bench'
const DIAL_OFFSETS = [1, 2, 4, 8]
const MESH_TIMEOUT_MS = 15_000
const DRAIN_MS = 3_000

const [nodes, messages, size, rate] = process.argv.slice(2).map(Number)
if (!(nodes > 0 && messages > 0 && size >= 4 && rate > 0)) {
  console.error('usage: bench-gossipsub.mjs NODES MESSAGES SIZE RATE')
  process.exit(2)
}

const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))
const now = () => Number(process.hrtime.bigint()) / 1e6

const sentAt = new Float64Array(messages)
const ms = []
let duplicates = 0
const peers = []
for (let i = 0; i < nodes; i++) {
  const node = await createLibp2p(benchNodeOptions())
  await node.start()
  const pubsub = node.services.pubsub
  const score = pubsub.score
  const duplicateMessage = score.duplicateMessage.bind(score)
  score.duplicateMessage = (...args) => { duplicates++; return duplicateMessage(...args) }
  pubsub.addEventListener('message', (e) => {
    const at = now()
    const data = e.detail.data
    const index = new DataView(data.buffer, data.byteOffset, data.byteLength).getInt32(0)
    ms.push(at - sentAt[index])
  })
  pubsub.subscribe(TOPIC)
  peers.push(node)
}

await Promise.all(peers.flatMap((node, i) => DIAL_OFFSETS.filter(o => o < nodes)
  .map(o => node.dial(peers[(i + o) % nodes].getMultiaddrs()[0]))))
const meshStarted = now()
const meshSize = (node) => node.services.pubsub.getMeshPeers(TOPIC).length
while (peers.some(node => meshSize(node) < D_LOW) && now() - meshStarted < MESH_TIMEOUT_MS) await sleep(100)
const meshSizes = peers.map(meshSize)
const meshWaitSeconds = (now() - meshStarted) / 1000

const duplicatesBefore = duplicates
const payload = new Uint8Array(size)
const start = now()
for (let m = 0; m < messages; m++) {
  const wait = start + m * 1000 / rate - now()
  if (wait > 0) await sleep(wait)
  new DataView(payload.buffer).setInt32(0, m)
  sentAt[m] = now()
  await peers[m % nodes].services.pubsub.publish(TOPIC, payload)
}
await sleep(DRAIN_MS)
console.log(JSON.stringify({
  ms,
  expected: messages * (nodes - 1),
  duplicates: duplicates - duplicatesBefore,
  meshSizeMin: Math.min(...meshSizes),
  meshSizeMax: Math.max(...meshSizes),
  meshSizeMean: meshSizes.reduce((a, b) => a + b, 0) / meshSizes.length,
  meshWaitSeconds
}))
await Promise.all(peers.map(node => node.stop()))
process.exit()
