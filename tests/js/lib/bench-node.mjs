// The libp2p options the js bench nodes share (bench-gossipsub.mjs, bench-live.mjs): TCP on
// 127.0.0.1, Noise, yamux, identify, and gossipsub with Overlay's defaults set explicitly (js's
// D_lo is 4): StrictSign, D 6, D_lo 5, D_hi 12, D_lazy 6, 1 s heartbeat, flood publishing.
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'

export const D_LOW = 5

/** libp2p options for one bench node; `pubsub` adds to (or overrides) the gossipsub options. */
export function benchNodeOptions (pubsub = {}) {
  return {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        D: 6,
        Dlo: D_LOW,
        Dhi: 12,
        Dlazy: 6,
        heartbeatInterval: 1000,
        floodPublish: true,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        ...pubsub
      })
    },
    connectionManager: { maxConnections: 1000, inboundConnectionThreshold: 1e9 }
  }
}
