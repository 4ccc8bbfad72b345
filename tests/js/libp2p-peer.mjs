// A real js-libp2p 3 peer (TCP + Noise + yamux, identify, ping, /echo/1.0.0) driven over
// stdin/stdout, one JSON object per line, for the C# interop tests. Run with Node 22.
//
// On start it prints {"event":"ready","peerId":"12D3…","addrs":["/ip4/127.0.0.1/tcp/…/p2p/…"]}.
// Commands (each answered by {"id":<same id>,"ok":true,...} or {"id":…,"ok":false,"error":"…"}):
//   {"id":1,"cmd":"dial","addr":"<multiaddr with /p2p/>"}            -> {"peer":"…","encryption":"/noise","muxer":"/yamux/1.0.0"}
//   {"id":2,"cmd":"ping","addr":"<multiaddr or peer id>"}            -> {"rttMs":n}
//   {"id":3,"cmd":"peer","peer":"<peer id>"}                         -> {"agentVersion":"…","protocols":[…],"addrs":[…]}
//   {"id":4,"cmd":"echo","peer":"<peer id>","streams":N,"size":B}    -> {"bytes":total,"ms":n} after N concurrent streams each
//        sent B deterministic bytes to /echo/1.0.0 and got them back byte-exact
//   {"id":5,"cmd":"connections"}                                     -> {"peers":[…]}
//   {"id":6,"cmd":"exit"}
// Events it prints unasked: {"event":"identify","peer":…,"agentVersion":…,"protocols":[…]} and
// {"event":"connect"|"disconnect","peer":…}.
// Options: --port N (listen port, default 0).
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { createHash } from 'node:crypto'
import { emit, serveCommands } from './lib/io.mjs'

const ECHO = '/echo/1.0.0'
const portIndex = process.argv.indexOf('--port')
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0

const node = await createLibp2p({
  addresses: { listen: [`/ip4/127.0.0.1/tcp/${port}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() },
  // Generous negotiation timeouts: the interop tests run on a loaded 2-core CI machine.
  connectionManager: { maxConnections: 1000, inboundStreamProtocolNegotiationTimeout: 60000, outboundStreamProtocolNegotiationTimeout: 60000 }
})

await node.handle(ECHO, async (stream) => {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  await stream.close()
}, { maxInboundStreams: 1024, maxOutboundStreams: 1024 })

node.addEventListener('peer:identify', (e) => {
  emit({ event: 'identify', peer: e.detail.peerId.toString(), agentVersion: e.detail.agentVersion, protocols: e.detail.protocols })
})
node.addEventListener('peer:connect', (e) => emit({ event: 'connect', peer: e.detail.toString() }))
node.addEventListener('peer:disconnect', (e) => emit({ event: 'disconnect', peer: e.detail.toString() }))

await node.start()
await emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })

/** B deterministic bytes for stream i: sha256 counter mode, so both sides can check cheaply. */
function pattern (i, size) {
  const out = new Uint8Array(size)
  let offset = 0
  let block = 0
  while (offset < size) {
    const h = createHash('sha256').update(`${i}:${block++}`).digest()
    out.set(h.subarray(0, Math.min(32, size - offset)), offset)
    offset += 32
  }
  return out
}

async function echoOne (peer, i, size) {
  const stream = await node.dialProtocol(peer, ECHO, { runOnLimitedConnection: true, signal: AbortSignal.timeout(120000) })
  const data = pattern(i, size)
  const reader = (async () => {
    const received = new Uint8Array(size)
    let got = 0
    for await (const chunk of stream) {
      const bytes = chunk.subarray()
      if (got + bytes.length > size) throw new Error(`stream ${i}: more bytes than sent`)
      received.set(bytes, got)
      got += bytes.length
    }
    if (got !== size) throw new Error(`stream ${i}: got ${got} of ${size} bytes; first bytes ${Buffer.from(received.subarray(0, 40)).toString('hex')} expected ${Buffer.from(data.subarray(0, 40)).toString('hex')}`)
    if (Buffer.compare(Buffer.from(received), Buffer.from(data)) !== 0) throw new Error(`stream ${i}: bytes differ`)
  })()
  for (let offset = 0; offset < size; offset += 65536) {
    if (!stream.send(data.subarray(offset, Math.min(size, offset + 65536)))) await stream.onDrain()
  }
  await stream.close()
  await reader
}

const commands = {
  async dial ({ addr }) {
    const connection = await node.dial(multiaddr(addr))
    return { peer: connection.remotePeer.toString(), encryption: connection.encryption, muxer: connection.multiplexer }
  },
  async ping ({ addr }) {
    const target = addr.startsWith('/') ? multiaddr(addr) : peerIdFromString(addr)
    return { rttMs: await node.services.ping.ping(target) }
  },
  async peer ({ peer }) {
    const info = await node.peerStore.get(peerIdFromString(peer))
    const agent = info.metadata.get('AgentVersion')
    return {
      agentVersion: agent ? new TextDecoder().decode(agent) : null,
      protocols: info.protocols,
      addrs: info.addresses.map(a => a.multiaddr.toString())
    }
  },
  async echo ({ peer, streams, size }) {
    const started = Date.now()
    const target = peerIdFromString(peer)
    await Promise.all(Array.from({ length: streams }, (_, i) => echoOne(target, i, size)))
    return { bytes: streams * size, ms: Date.now() - started }
  },
  async connections () {
    return { peers: node.getConnections().map(c => c.remotePeer.toString()) }
  },
  async exit () {
    await node.stop()
    return {}
  }
}

await serveCommands(commands)
await node.stop()
