// Helia 7 side of bench/Overlay.Bench's live streams scenario (issue 7, scenario 5): NODES Helia
// nodes in this one Node process publish and fetch live segments over the same graph as the
// Overlay nodes of LiveTopology.cs. Run with Node 22; driven by JSON lines (lib/io.mjs
// serveCommands, tests/Shared/JsProcess.cs), one command after the other:
//
//   {"cmd":"start","nodes":N}
//       starts N nodes on 127.0.0.1 (memory blockstores; js-libp2p 3 TCP, Noise, yamux, identify;
//       @libp2p/gossipsub 17 with StrictSign, D 6/5/12, D_lazy 6, 1 s heartbeat, flood publish,
//       as bench-gossipsub.mjs, and no IP-colocation penalty; @helia/bitswap; no routers, bootstrap or discovery, so nothing
//       dials out), all subscribed to one topic → {"peers":[{"id","port"}]}
//   {"cmd":"dial","addrs":[multiaddr per node],"plan":[[targets of node 0],[… node 1],…]}
//       node i dials addrs[t] for each t in plan[i] (the bench passes its counting relays'
//       addresses), then waits until every node's mesh holds min(D_lo, its connections) peers
//       → {"meshWaitSeconds","meshSizes"}
//   {"cmd":"run","segments":S,"bytes":B,"intervalMs":I}
//       node 0 adds S random segments of B bytes with @helia/unixfs (1 MiB chunks, raw leaves:
//       one raw block per segment, as Overlay's importer makes), one every I ms, and publishes
//       {"seq","cid"} on the topic after each; every other node, on the message, reads the CID
//       whole through unixfs cat (blocks fetched over bitswap from its connected peers) and
//       notes when it holds it (asking again after 10 s without the block, see fetchSegment).
//       → {"ms":[[publish call → held, per segment held] per node; node 0 empty],
//       "blocksReceived","duplicateBlocks","refetches","lost":[[node, seq]…]} once every node
//       holds every segment or gave up on it (30 s).
//   {"cmd":"exit"}
//
// A fetched block reaches the next hop without waiting: Helia's networked storage puts it and
// then announces it to the block brokers, and bitswap's announce sends it at once to every
// peer whose want list (kept while the block was missing) holds it; so this script adds nothing
// to the pipeline. Bitswap's duplicate-block metrics are registered but never incremented in
// @helia/bitswap 4, so duplicates are counted here from the want list's 'block' events (a
// block a node had already received once). Any error answers the command with ok:false; a
// watchdog exits 1 if the whole run takes longer than 10 minutes.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { unixfs } from '@helia/unixfs'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { CID } from 'multiformats/cid'
import { randomFillSync } from 'node:crypto'
import { benchNodeOptions, D_LOW } from './lib/bench-node.mjs'
import { serveCommands } from './lib/io.mjs'

const TOPIC = 'overlay-bench-live'
const MESH_TIMEOUT_MS = 20_000
const ATTEMPT_MS = 10_000
const FETCH_TIMEOUT_MS = 30_000
const RUN_TIMEOUT_MS = 120_000
const WATCHDOG_MS = 600_000

setTimeout(() => {
  process.stderr.write(`bench-live: still running after ${WATCHDOG_MS / 1000} s\n`)
  process.exit(1)
}, WATCHDOG_MS).unref()

const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

let nodes = []
// Per node: seq → performance.now() when the whole segment was held.
let held = []
const failures = []
let blocksReceived = 0
let duplicateBlocks = 0
let refetches = 0
// [node, seq] of the segments a node still lacked FETCH_TIMEOUT_MS after their message.
const lost = []

async function createNode () {
  // All nodes share 127.0.0.1: the IP-colocation penalty (P6, threshold 10) would give every
  // peer of a node with more than 10 connections a negative score and leave its mesh empty.
  const options = benchNodeOptions({ scoreParams: { IPColocationFactorWeight: 0 } })
  const helia = withBitswap(withLibp2pLight(createHeliaLight({ blockstore: new MemoryBlockstore() }), options))
  await helia.start()
  const bitswap = helia.blockBrokers.find(b => b.name === 'bitswap')?.bitswap
  if (bitswap == null) throw new Error('Helia started without its bitswap block broker')
  const seen = new Set()
  bitswap.wantList.addEventListener('block', (e) => {
    const key = e.detail.cid.toString()
    blocksReceived++
    if (seen.has(key)) duplicateBlocks++
    seen.add(key)
  })
  return { helia, fs: unixfs(helia), pubsub: helia.libp2p.services.pubsub }
}

// The fetch's signal travels with the announce of the fetched block into bitswap's queued sends
// to the peers that want it (helia's networked storage passes the get's options on), so it must
// not fire once the segment is held: a controller whose timer is cleared then, not
// AbortSignal.timeout. A want or block message can be lost (seen while debugging under load: a
// stream's protocol negotiation ending in "Unexpected EOF") and @helia/bitswap never
// rebroadcasts a want, so a follower asks again after ATTEMPT_MS (the answer counts how often).
// A segment still missing FETCH_TIMEOUT_MS after its message is reported as lost (a delivery
// failure of the system under test, not of this script).
async function fetchSegment (node, index, seq, cid, bytes) {
  const deadline = performance.now() + FETCH_TIMEOUT_MS
  while (true) {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), ATTEMPT_MS)
    try {
      let length = 0
      for await (const chunk of node.fs.cat(CID.parse(cid), { signal: controller.signal })) length += chunk.byteLength
      if (length !== bytes) throw new Error(`node ${index} read ${length} bytes of segment ${seq}, expected ${bytes}`)
      held[index].set(seq, performance.now())
      return
    } catch (err) {
      if (!controller.signal.aborted) throw err
      if (performance.now() + ATTEMPT_MS > deadline) {
        lost.push([index, seq])
        return
      }
      refetches++
    } finally {
      clearTimeout(timer)
    }
  }
}

const commands = {
  async start ({ nodes: count }) {
    if (!(Number.isInteger(count) && count >= 2)) throw new Error(`nodes must be an integer ≥ 2, not ${count}`)
    if (nodes.length > 0) throw new Error('already started')
    nodes = await Promise.all(Array.from({ length: count }, createNode))
    held = nodes.map(() => new Map())
    for (const node of nodes) node.pubsub.subscribe(TOPIC)
    return {
      peers: nodes.map(node => ({
        id: node.helia.libp2p.peerId.toString(),
        port: Number(/\/tcp\/(\d+)/.exec(node.helia.libp2p.getMultiaddrs()[0].toString())[1])
      }))
    }
  },

  async dial ({ addrs, plan }) {
    if (addrs?.length !== nodes.length || plan?.length !== nodes.length) throw new Error('dial needs one address and one target list per node')
    await Promise.all(plan.flatMap((targets, i) => targets.map(t => nodes[i].helia.libp2p.dial(multiaddr(addrs[t])))))
    const started = performance.now()
    const meshSize = (node) => node.pubsub.getMeshPeers(TOPIC).length
    const meshed = (node) => meshSize(node) >= Math.min(D_LOW, node.helia.libp2p.getConnections().length)
    while (!nodes.every(meshed)) {
      if (performance.now() - started > MESH_TIMEOUT_MS) {
        throw new Error(`meshes not formed after ${MESH_TIMEOUT_MS / 1000} s: sizes ${nodes.map(meshSize)}, connections ${nodes.map(n => n.helia.libp2p.getConnections().length)}`)
      }
      await sleep(100)
    }
    return { meshWaitSeconds: (performance.now() - started) / 1000, meshSizes: nodes.map(meshSize) }
  },

  async run ({ segments, warmup = 0, bytes, intervalMs }) {
    if (!(segments > 0 && bytes > 0 && intervalMs > 0)) throw new Error('run needs segments, bytes and intervalMs > 0')
    if (!(warmup >= 0 && warmup < segments)) throw new Error('run needs 0 <= warmup < segments')
    const publishedAt = new Float64Array(segments)
    nodes.forEach((node, index) => {
      if (index === 0) return
      node.pubsub.addEventListener('message', (e) => {
        if (e.detail.topic !== TOPIC) return
        const { seq, cid } = JSON.parse(new TextDecoder().decode(e.detail.data))
        fetchSegment(node, index, seq, cid, bytes).catch(err => failures.push(`node ${index}, segment ${seq}, ${(performance.now() - publishedAt[seq]).toFixed(0)} ms after publishing: ${err?.stack ?? err}` + (err?.errors != null ? ` (${err.errors.map(e => e?.stack ?? e).join('; ')})` : "")))
      })
    })
    const blocksBefore = blocksReceived
    const duplicatesBefore = duplicateBlocks
    const refetchesBefore = refetches
    const publisher = nodes[0]
    const start = performance.now()
    for (let seq = 0; seq < segments; seq++) {
      const wait = start + (seq + 1) * intervalMs - performance.now()
      if (wait > 0) await sleep(wait)
      // A fresh buffer each time: the memory blockstore keeps the very bytes it was given.
      const segment = randomFillSync(new Uint8Array(bytes))
      const cid = await publisher.fs.addBytes(segment)
      publishedAt[seq] = performance.now()
      await publisher.pubsub.publish(TOPIC, new TextEncoder().encode(JSON.stringify({ seq, cid: cid.toString() })))
    }
    const deadline = performance.now() + RUN_TIMEOUT_MS
    const settled = (index) => held[index].size + lost.filter(([node]) => node === index).length
    while (held.some((_, index) => index > 0 && settled(index) < segments)) {
      if (failures.length > 0) throw new Error(`fetch failed: ${failures[0]}`)
      if (performance.now() > deadline) throw new Error(`not every node holds or gave up on every segment after ${RUN_TIMEOUT_MS / 1000} s: held ${held.map(h => h.size)}`)
      await sleep(20)
    }
    return {
      // The first `warmup` segments are published and fetched like the rest but not timed (cold code paths).
      ms: held.map(h => [...h.entries()].filter(([seq]) => seq >= warmup).sort((a, b) => a[0] - b[0]).map(([seq, at]) => at - publishedAt[seq])),
      blocksReceived: blocksReceived - blocksBefore,
      duplicateBlocks: duplicateBlocks - duplicatesBefore,
      refetches: refetches - refetchesBefore,
      lost: lost.filter(([, seq]) => seq >= warmup)
    }
  },

  async exit () {
    await Promise.all(nodes.map(node => node.helia.stop()))
    return {}
  }
}

await serveCommands(commands)
// stdin closed without an exit command: the driver is gone.
process.exit(1)
