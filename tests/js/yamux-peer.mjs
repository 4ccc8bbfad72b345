// A bare js-libp2p-yamux peer over plain TCP (no Noise, no multistream-select), driven over
// stdin/stdout one JSON object per line, so the C# muxer tests meet the real
// @chainsafe/libp2p-yamux with nothing else in between. Run with Node 22.
//
// On start it listens on 127.0.0.1 and prints {"event":"ready","port":N}. It takes one
// connection, runs yamux on it as the listener (even stream ids) and echoes every stream the
// other side opens: all bytes back, then its own FIN. It prints {"event":"connected"} and, when
// the connection ends, {"event":"closed"}.
// Commands (each answered by {"id":<same id>,"ok":true,...} or {"id":…,"ok":false,"error":"…"}):
//   {"id":1,"cmd":"echo","streams":N,"size":B} -> {"bytes":total,"ms":n} after N concurrent streams
//        each sent B deterministic bytes (pattern below), half-closed, and got them back byte-exact
//   {"id":2,"cmd":"ping"}                      -> {"rttMs":n}
//   {"id":3,"cmd":"reset","text":"…"}          -> {"stream":id} after opening a stream, sending the
//        text, waiting for the first bytes of an answer, and then resetting the stream
//   {"id":4,"cmd":"close"}                     -> {} after the muxer closed (go-away, normal code)
// Pattern of stream i: byte k is (i * 31 + k * 7) mod 251, so both sides can check cheaply.
import net from 'node:net'
import { yamux } from '@chainsafe/libp2p-yamux'
import { defaultLogger } from '@libp2p/logger'
import { stdinLines, writeLine } from './lib/io.mjs'

// @libp2p/tcp does not export its socket adapter; load it next to the package's entry point.
const { toMultiaddrConnection } = await import(new URL('./socket-to-conn.js', import.meta.resolve('@libp2p/tcp')))

const emit = (obj) => writeLine(JSON.stringify(obj))

function pattern (i, size) {
  const out = new Uint8Array(size)
  for (let k = 0; k < size; k++) out[k] = (i * 31 + k * 7) % 251
  return out
}

async function readAll (stream) {
  const parts = []
  let length = 0
  for await (const chunk of stream) {
    const bytes = chunk.subarray()
    parts.push(bytes)
    length += bytes.length
  }
  return Buffer.concat(parts, length)
}

async function sendAll (stream, data) {
  for (let offset = 0; offset < data.length; offset += 65536) {
    if (!stream.send(data.subarray(offset, Math.min(data.length, offset + 65536)))) await stream.onDrain()
  }
}

let muxer
const connected = new Promise((resolve) => {
  const server = net.createServer((socket) => {
    server.close()
    const maConn = toMultiaddrConnection({ socket, direction: 'inbound', log: defaultLogger().forComponent('yamux-peer') })
    muxer = yamux()().createStreamMuxer(maConn)
    muxer.addEventListener('stream', (event) => {
      const stream = event.detail
      ;(async () => {
        for await (const chunk of stream) {
          if (!stream.send(chunk.subarray())) await stream.onDrain()
        }
        await stream.close()
      })().catch(() => {})
    })
    maConn.addEventListener('close', () => { emit({ event: 'closed' }) })
    emit({ event: 'connected' })
    resolve()
  })
  server.listen(0, '127.0.0.1', () => emit({ event: 'ready', port: server.address().port }))
})

const commands = {
  async echo ({ streams, size }) {
    await connected
    const started = Date.now()
    await Promise.all(Array.from({ length: streams }, async (_, i) => {
      const stream = await muxer.createStream()
      const data = pattern(i, size)
      const reading = readAll(stream)
      await sendAll(stream, data)
      await stream.close()
      const back = await reading
      if (Buffer.compare(back, Buffer.from(data)) !== 0) throw new Error(`stream ${i}: got ${back.length} of ${size} bytes or different bytes`)
    }))
    return { bytes: streams * size, ms: Date.now() - started }
  },
  async ping () {
    await connected
    return { rttMs: await muxer.ping() }
  },
  async reset ({ text }) {
    await connected
    const stream = await muxer.createStream()
    stream.send(new TextEncoder().encode(text))
    await stream[Symbol.asyncIterator]().next()
    stream.abort(new Error('reset by the test'))
    return { stream: Number(stream.id) }
  },
  async close () {
    await connected
    await muxer.close()
    return {}
  }
}

for await (const line of stdinLines()) {
  const request = JSON.parse(line)
  const run = commands[request.cmd]
  ;(async () => {
    try {
      if (!run) throw new Error(`unknown command ${request.cmd}`)
      await emit({ id: request.id, ok: true, ...(await run(request)) })
    } catch (err) {
      await emit({ id: request.id, ok: false, error: String(err?.stack ?? err) })
    }
  })()
}
