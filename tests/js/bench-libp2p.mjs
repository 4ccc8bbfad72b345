// js-libp2p 3 side of bench/Overlay.Bench's libp2p scenarios (TCP + Noise + yamux, no identify),
// speaking the same bench protocols as `Overlay.Bench --serve`, so either client can measure
// either server. Run with Node 22.
//
//   node bench-libp2p.mjs serve
//       prints {"addr":"/ip4/127.0.0.1/tcp/N/p2p/12D3…"} and serves until stdin closes:
//       /bench/sink/1.0.0  reads and discards until the remote closes its side, then replies
//                          with the byte count (8 bytes, big-endian) and closes;
//       /bench/ping/1.0.0  writes back every chunk it reads;
//       /bench/stats/1.0.0 replies {"cpuMs":n} (the process's user + system CPU time) and closes.
//   node bench-libp2p.mjs throughput ADDR STREAMS BYTES WRITE_SIZE WARMUP_BYTES
//       one connection; 8 warm-up passes of WARMUP_BYTES over 32 streams, each followed by a
//       250 ms pause (the Overlay client does 4 or more, until its JIT is quiet, typically 8-10), then STREAMS concurrent sink
//       streams sharing BYTES, written WRITE_SIZE bytes at a time with drain handling; prints
//       {"bytes":n,"seconds":s,"clientCpuMs":n,"serverCpuMs":n} for the timed pass (stream opening
//       included, connection setup not).
//   node bench-libp2p.mjs latency ADDR COUNT WARMUP
//       WARMUP + COUNT times: fresh connection (dial + Noise + yamux), open a ping stream, one
//       byte there and back, close; prints {"ms":[…]} for the last COUNT.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'

const SINK = '/bench/sink/1.0.0'
const PING = '/bench/ping/1.0.0'
const STATS = '/bench/stats/1.0.0'
const streamLimits = { maxInboundStreams: 1024, maxOutboundStreams: 1024 }

async function createNode (listen) {
  return await createLibp2p({
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The latency run opens hundreds of connections a second from one address; the defaults
    // (5 per second per host, 10 pending) are a DoS guard that would refuse them.
    connectionManager: { maxConnections: 4096, inboundConnectionThreshold: 1e9, maxIncomingPendingConnections: 1024 }
  })
}

function cpuMs () {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

async function serverCpuMs (connection) {
  const stream = await connection.newStream(STATS, streamLimits)
  // Listen before anything else: a js-libp2p 3 stream drops messages that arrive with no reader.
  const reply = readAll(stream)
  await stream.close()
  return JSON.parse((await reply).toString()).cpuMs
}

function u64 (n) {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(n))
  return bytes
}

async function readAll (stream) {
  const parts = []
  for await (const chunk of stream) parts.push(chunk.subarray())
  return Buffer.concat(parts)
}

async function serve () {
  const node = await createNode(['/ip4/127.0.0.1/tcp/0'])
  await node.handle(SINK, async (stream) => {
    let count = 0
    for await (const chunk of stream) count += chunk.byteLength
    stream.send(u64(count))
    await stream.close()
  }, streamLimits)
  await node.handle(PING, async (stream) => {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
  }, streamLimits)
  await node.handle(STATS, async (stream) => {
    stream.send(new TextEncoder().encode(JSON.stringify({ cpuMs: cpuMs() })))
    await stream.close()
  }, streamLimits)
  await node.start()
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
  console.log(JSON.stringify({ addr: addr.toString() }))
  process.stdin.resume()
  await new Promise(resolve => process.stdin.once('end', resolve))
  await node.stop()
}

async function sinkOne (connection, bytes, block) {
  const stream = await connection.newStream(SINK, streamLimits)
  const reply = readAll(stream) // before writing: see serverCpuMs
  let sent = 0
  while (sent < bytes) {
    const n = Math.min(block.length, bytes - sent)
    if (!stream.send(n === block.length ? block : block.subarray(0, n))) await stream.onDrain()
    sent += n
  }
  await stream.close()
  const answer = await reply
  if (answer.length !== 8) throw new Error(`sink replied ${answer.length} bytes`)
  const counted = Number(answer.readBigUInt64BE(0))
  if (counted !== bytes) throw new Error(`sink counted ${counted} of ${bytes} bytes`)
}

async function transfer (connection, streams, perStream, block) {
  await Promise.all(Array.from({ length: streams }, () => sinkOne(connection, perStream, block)))
}

async function throughput (addr, streams, bytes, writeSize, warmupBytes) {
  const node = await createNode([])
  await node.start()
  const connection = await node.dial(multiaddr(addr))
  const block = new Uint8Array(writeSize)
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24
  const perStream = Math.floor(bytes / streams)
  for (let pass = 0; pass < 8; pass++) {
    await transfer(connection, 32, Math.floor(warmupBytes / 32), block)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  const serverBefore = await serverCpuMs(connection)
  const clientBefore = cpuMs()
  const started = process.hrtime.bigint()
  await transfer(connection, streams, perStream, block)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const clientCpu = cpuMs() - clientBefore
  const serverCpu = await serverCpuMs(connection) - serverBefore
  console.log(JSON.stringify({ bytes: perStream * streams, seconds, clientCpuMs: clientCpu, serverCpuMs: serverCpu }))
  await node.stop()
}

async function latency (addr, count, warmup) {
  const node = await createNode([])
  await node.start()
  const target = multiaddr(addr)
  const ms = []
  for (let i = 0; i < warmup + count; i++) {
    const started = process.hrtime.bigint()
    const connection = await node.dial(target)
    const stream = await connection.newStream(PING, streamLimits)
    const reader = stream[Symbol.asyncIterator]()
    stream.send(Uint8Array.of(i & 0xff))
    const first = await reader.next()
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6
    if (first.done || first.value.byteLength !== 1) throw new Error('ping stream answered nothing')
    if (i >= warmup) ms.push(elapsed)
    await connection.close()
  }
  console.log(JSON.stringify({ ms }))
  await node.stop()
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'serve') {
  await serve()
} else if (mode === 'throughput') {
  await throughput(rest[0], Number(rest[1]), Number(rest[2]), Number(rest[3]), Number(rest[4]))
} else if (mode === 'latency') {
  await latency(rest[0], Number(rest[1]), Number(rest[2]))
} else {
  process.stderr.write('usage: bench-libp2p.mjs serve | throughput ADDR STREAMS BYTES WRITE_SIZE WARMUP_BYTES | latency ADDR COUNT WARMUP\n')
  process.exitCode = 2
}
