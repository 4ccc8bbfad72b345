// A real Helia 7 node (helia + @helia/bitswap + @helia/unixfs on js-libp2p 3: TCP, Noise, yamux,
// identify) driven over stdin/stdout, one JSON object per line, for the C# bitswap interop tests.
// Run with Node 22. It uses no routers, gateways, discovery or DHT: blocks move only over bitswap
// with the peers it is connected to.
//
// On start it prints {"event":"ready","peerId":"12D3…","addrs":["/ip4/127.0.0.1/tcp/…/p2p/…"]}.
// Commands (each answered by {"id":<same id>,"ok":true,...} or {"id":…,"ok":false,"error":"…"}):
//   {"id":1,"cmd":"add","size":N,"seed":"S"}   -> {"cid":"bafy…","ms":n}
//        imports N bytes of the SplitMix64 stream for seed S (lib/splitmix64.mjs; S an unsigned
//        64-bit decimal string) with @helia/unixfs addByteStream and the unixfs-v1-2025 profile
//        (CIDv1, raw leaves, 1 MiB chunks, balanced, 1024 links per node), as unixfs.mjs does
//   {"id":2,"cmd":"cat","cid":"bafy…","timeoutMs":T} -> {"sha256":"<hex>","length":n,"ms":n}
//        reads the file through Helia (fetching missing blocks over bitswap)
//   {"id":3,"cmd":"dial","addr":"<multiaddr with /p2p/>"} -> {"peer":"…"}
//   {"id":4,"cmd":"has","cid":"bafy…"}         -> {"has":true|false} (local blockstore only)
//   {"id":5,"cmd":"connections"}               -> {"peers":[…]}
//   {"id":6,"cmd":"exit"}
// Events it prints unasked: {"event":"connect"|"disconnect","peer":…}.
// Options: --port N (listen port, default 0).
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { unixfs } from '@helia/unixfs'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { createHash } from 'node:crypto'
import { splitMix64Bytes } from './lib/splitmix64.mjs'
import { emit, serveCommands } from './lib/io.mjs'

const CHUNK_SIZE = 1_048_576
const MAX_CHILDREN_PER_NODE = 1024
const portIndex = process.argv.indexOf('--port')
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0

const helia = withBitswap(withLibp2pLight(createHeliaLight(), {
  addresses: { listen: [`/ip4/127.0.0.1/tcp/${port}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify() },
  connectionManager: { maxConnections: 1000 }
}))
await helia.start()
const fs = unixfs(helia)
const libp2p = helia.libp2p

libp2p.addEventListener('peer:connect', (e) => emit({ event: 'connect', peer: e.detail.toString() }))
libp2p.addEventListener('peer:disconnect', (e) => emit({ event: 'disconnect', peer: e.detail.toString() }))
await emit({ event: 'ready', peerId: libp2p.peerId.toString(), addrs: libp2p.getMultiaddrs().map(a => a.toString()) })

const commands = {
  async add ({ size, seed }) {
    const started = Date.now()
    const cid = await fs.addByteStream(splitMix64Bytes(BigInt(seed), size), {
      profile: 'unixfs-v1-2025',
      cidVersion: 1,
      rawLeaves: true,
      reduceSingleLeafToSelf: true,
      chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
      layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE })
    })
    return { cid: cid.toString(), ms: Date.now() - started }
  },
  async cat ({ cid, timeoutMs }) {
    const started = Date.now()
    const hash = createHash('sha256')
    let length = 0
    for await (const chunk of fs.cat(CID.parse(cid), { signal: AbortSignal.timeout(timeoutMs ?? 120_000) })) {
      hash.update(chunk)
      length += chunk.byteLength
    }
    return { sha256: hash.digest('hex'), length, ms: Date.now() - started }
  },
  async dial ({ addr }) {
    const connection = await libp2p.dial(multiaddr(addr))
    return { peer: connection.remotePeer.toString() }
  },
  async has ({ cid }) {
    return { has: await helia.blockstore.has(CID.parse(cid), { offline: true }) }
  },
  async connections () {
    return { peers: libp2p.getConnections().map(c => c.remotePeer.toString()) }
  },
  async exit () {
    await helia.stop()
    return {}
  }
}

await serveCommands(commands)
await helia.stop()
