// Helia 7 side of bench/Overlay.Bench's bitswap scenario: one Helia node serves a file, another
// fetches it over bitswap (@helia/bitswap on js-libp2p 3: TCP, Noise, yamux, identify), each in
// its own process, as `Overlay.Bench --bitswap-serve/--bitswap-fetch` do for Overlay. Run with Node 22.
//
// STORE is "memory" (blockstore-core's MemoryBlockstore, Helia's default) or "disk"
// (blockstore-fs in a fresh temporary folder: a temporary file renamed into place, no fsync).
//
//   node bench-bitswap.mjs serve STORE BYTES
//       imports 32 MiB and then BYTES of random data with @helia/unixfs (unixfs-v1-2025 profile:
//       CIDv1, raw leaves, 1 MiB chunks, balanced, 1024 links per node), prints
//       {"addr":…,"root":…,"warmup":…} and serves until stdin closes; /bench/stats/1.0.0 replies
//       {"cpuMs":n,"peakRssKiB":n}.
//   node bench-bitswap.mjs fetch STORE ADDR ROOT WARMUP
//       dials ADDR, reads WARMUP through unixfs cat (warming V8's JIT, as the Overlay client does),
//       pauses 500 ms, then times reading ROOT the same way (every block fetched over bitswap and
//       put in the local blockstore); prints {"bytes","seconds","clientCpuMs","serverCpuMs",
//       "clientPeakRssKiB","serverPeakRssKiB"}.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { unixfs } from '@helia/unixfs'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { FsBlockstore } from 'blockstore-fs'
import { CID } from 'multiformats/cid'
import { PROFILE_CHUNK_SIZE, profileImportOptions } from './lib/unixfs-profile.mjs'
import { randomFillSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const STATS = '/bench/stats/1.0.0'
const CHUNK_SIZE = PROFILE_CHUNK_SIZE
const WARMUP_BYTES = 32 * 1_048_576

function cpuMs () {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

function peakRssKiB () {
  return process.resourceUsage().maxRSS
}

async function createNode (store, listen) {
  let blockstore = new MemoryBlockstore()
  let folder = null
  if (store === 'disk') {
    folder = mkdtempSync(join(tmpdir(), 'overlay-bench-helia-'))
    blockstore = new FsBlockstore(folder)
    await blockstore.open()
  } else if (store !== 'memory') {
    throw new Error(`store must be memory or disk, not ${store}`)
  }
  const helia = withBitswap(withLibp2pLight(createHeliaLight({ blockstore }), {
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  }))
  await helia.start()
  return {
    helia,
    async stop () {
      await helia.stop()
      if (folder != null) rmSync(folder, { recursive: true, force: true })
    }
  }
}

async function * randomBytes (size) {
  let left = size
  while (left > 0) {
    const chunk = new Uint8Array(Math.min(CHUNK_SIZE, left))
    randomFillSync(chunk)
    left -= chunk.byteLength
    yield chunk
  }
}

async function importRandom (fs, size) {
  return await fs.addByteStream(randomBytes(size), profileImportOptions())
}

async function serve (store, bytes) {
  const node = await createNode(store, ['/ip4/127.0.0.1/tcp/0'])
  const libp2p = node.helia.libp2p
  await libp2p.handle(STATS, async (stream) => {
    stream.send(new TextEncoder().encode(JSON.stringify({ cpuMs: cpuMs(), peakRssKiB: peakRssKiB() })))
    await stream.close()
  })
  const fs = unixfs(node.helia)
  const warmup = await importRandom(fs, WARMUP_BYTES)
  const root = await importRandom(fs, bytes)
  const addr = libp2p.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
  console.log(JSON.stringify({ addr: addr.toString(), root: root.toString(), warmup: warmup.toString() }))
  process.stdin.resume()
  await new Promise(resolve => process.stdin.once('end', resolve))
  await node.stop()
}

async function serverStats (libp2p, peer) {
  const stream = await libp2p.dialProtocol(peer, STATS)
  const parts = []
  const reading = (async () => { for await (const chunk of stream) parts.push(chunk.subarray()) })()
  await stream.close()
  await reading
  return JSON.parse(Buffer.concat(parts).toString())
}

async function readAll (fs, cid) {
  let length = 0
  for await (const chunk of fs.cat(CID.parse(cid), { signal: AbortSignal.timeout(600_000) })) length += chunk.byteLength
  return length
}

async function fetch (store, addr, root, warmup) {
  const node = await createNode(store, [])
  const libp2p = node.helia.libp2p
  const connection = await libp2p.dial(multiaddr(addr))
  const fs = unixfs(node.helia)
  await readAll(fs, warmup)
  await new Promise(resolve => setTimeout(resolve, 500))
  const serverBefore = await serverStats(libp2p, connection.remotePeer)
  const clientBefore = cpuMs()
  const started = process.hrtime.bigint()
  const bytes = await readAll(fs, root)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const clientCpu = cpuMs() - clientBefore
  const serverAfter = await serverStats(libp2p, connection.remotePeer)
  console.log(JSON.stringify({
    bytes,
    seconds,
    clientCpuMs: clientCpu,
    serverCpuMs: serverAfter.cpuMs - serverBefore.cpuMs,
    clientPeakRssKiB: peakRssKiB(),
    serverPeakRssKiB: serverAfter.peakRssKiB
  }))
  await node.stop()
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'serve' && args.length === 2) {
  await serve(args[0], Number(args[1]))
} else if (mode === 'fetch' && args.length === 4) {
  await fetch(...args)
} else {
  console.error('usage: bench-bitswap.mjs serve STORE BYTES | fetch STORE ADDR ROOT WARMUP')
  process.exitCode = 2
}
process.exit()
