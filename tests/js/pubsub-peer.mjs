// A real js-libp2p 3 pubsub peer (@libp2p/gossipsub 17 or @libp2p/floodsub 11, StrictSign, over
// TCP + Noise + yamux with identify) driven over stdin/stdout, one JSON object per line, for the
// C# pubsub interop tests. Run with Node 22.
//
// Options: --router gossipsub|floodsub (default gossipsub), --heartbeat MS (gossipsub, default 200).
// On start it prints {"event":"ready","peerId":"12D3…","addrs":["/ip4/127.0.0.1/tcp/…/p2p/…"]}.
// Commands (answered by {"id":<same id>,"ok":true,...} or {"id":…,"ok":false,"error":"…"}):
//   {"id":1,"cmd":"dial","addr":"<multiaddr with /p2p/>"}      -> {"peer":"…"}
//   {"id":2,"cmd":"subscribe","topic":"t"}                     -> {}
//   {"id":3,"cmd":"unsubscribe","topic":"t"}                   -> {}
//   {"id":4,"cmd":"publish","topic":"t","data":"<utf-8 text>"} -> {"recipients":n}
//   {"id":5,"cmd":"subscribers","topic":"t"}                   -> {"peers":[…]}  (peers we know are subscribed)
//   {"id":6,"cmd":"mesh","topic":"t"}                          -> {"peers":[…]}  (gossipsub mesh; [] for floodsub)
//   {"id":7,"cmd":"exit"}
// Events printed unasked, one per message delivered to a subscription (js verified its StrictSign
// signature before delivering it):
//   {"event":"message","topic":"t","from":"<author peer id>","data":"<utf-8 text>","seqno":"<hex>","signed":true}
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { floodsub } from '@libp2p/floodsub'
import { multiaddr } from '@multiformats/multiaddr'
import { emit, serveCommands } from './lib/io.mjs'

const option = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : fallback
}
const router = option('--router', 'gossipsub')
const heartbeat = Number(option('--heartbeat', '200'))

const pubsub = router === 'floodsub'
  ? floodsub({ globalSignaturePolicy: 'StrictSign' })
  : gossipsub({
    globalSignaturePolicy: 'StrictSign',
    heartbeatInterval: heartbeat,
    allowPublishToZeroTopicPeers: true,
    emitSelf: false
  })

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), pubsub },
  connectionManager: { maxConnections: 1000 }
})

const text = new TextDecoder()

node.services.pubsub.addEventListener('message', (e) => {
  const m = e.detail
  emit({
    event: 'message',
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    data: text.decode(m.data),
    seqno: m.type === 'signed' ? m.sequenceNumber.toString(16).padStart(16, '0') : null,
    signed: m.type === 'signed' && m.signature != null
  })
})

await node.start()
await emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })

const commands = {
  async dial ({ addr }) {
    const connection = await node.dial(multiaddr(addr))
    return { peer: connection.remotePeer.toString() }
  },
  async subscribe ({ topic }) {
    node.services.pubsub.subscribe(topic)
    return {}
  },
  async unsubscribe ({ topic }) {
    node.services.pubsub.unsubscribe(topic)
    return {}
  },
  async publish ({ topic, data }) {
    const result = await node.services.pubsub.publish(topic, new TextEncoder().encode(data))
    return { recipients: result.recipients.length }
  },
  async subscribers ({ topic }) {
    return { peers: node.services.pubsub.getSubscribers(topic).map(p => p.toString()) }
  },
  async mesh ({ topic }) {
    const ps = node.services.pubsub
    return { peers: typeof ps.getMeshPeers === 'function' ? ps.getMeshPeers(topic).map(p => p.toString()) : [] }
  },
  async exit () {
    await node.stop()
    return {}
  }
}

await serveCommands(commands)
await node.stop()
