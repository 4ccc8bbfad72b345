// Helia 7 side of bench/Overlay.Bench's gateway scenarios: a Helia node (js-libp2p 3: TCP, Noise,
// yamux, identify; @helia/bitswap; blockstore-fs in REPO, as the daemon keeps its repo on disk; no
// delegated or HTTP routers, so nothing reaches past loopback) and a node:http server on
// 127.0.0.1 that answers GET /ipfs/<cid>[/path][?format=raw] (and Accept: application/vnd.ipld.raw)
// by streaming @helia/verified-fetch's Response (status, headers, body): the shape of
// helia-http-gateway. Blocks come from the local blockstore, else over bitswap from the connected
// peers (`session: false`: a session would ask content routing for providers, and there is none
// here). Run with Node 22.
//
//   node bench-gateway.mjs REPO [--dial MULTIADDR] [FILE...]
//       adds each FILE with @helia/unixfs (unixfs-v1-2025 profile, lib/unixfs-profile.mjs: the
//       CIDs `overlay add` gives the same bytes),
//       dials MULTIADDR if given (gateway B one hop from gateway A), then prints one line
//       {"addr":…,"port":n,"pid":n,"cids":[…]} and serves until stdin closes.
// Any error before serving, or an uncaught one after, ends the process with exit code 1 and a
// message on stderr; a request that fails is answered 500 and logged on stderr.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { unixfs } from '@helia/unixfs'
import { createVerifiedFetch } from '@helia/verified-fetch'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import { FsBlockstore } from 'blockstore-fs'
import { PROFILE_CHUNK_SIZE, profileImportOptions } from './lib/unixfs-profile.mjs'
import { createReadStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const DIAL_TIMEOUT_MS = 30_000
const REQUEST_TIMEOUT_MS = 120_000

function fail (err) {
  process.stderr.write(`bench-gateway: ${err?.stack ?? err}\n`)
  process.exit(1)
}

process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)

async function createNode (repo) {
  mkdirSync(repo, { recursive: true })
  const blockstore = new FsBlockstore(repo)
  await blockstore.open()
  const helia = withBitswap(withLibp2pLight(createHeliaLight({ blockstore }), {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  }))
  await helia.start()
  return helia
}

async function addFile (fs, path) {
  return await fs.addByteStream(createReadStream(path, { highWaterMark: PROFILE_CHUNK_SIZE }), profileImportOptions())
}

/** GET /ipfs/<cid>[/path][?query] → verifiedFetch('ipfs://<cid>[/path][?query]'), streamed back as is. */
function gateway (verifiedFetch) {
  return async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    if (req.method !== 'GET' || !url.pathname.startsWith('/ipfs/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /ipfs/<cid>\n')
      return
    }
    const abort = new AbortController()
    res.once('close', () => abort.abort())
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
    try {
      const headers = req.headers.accept != null ? { accept: req.headers.accept } : {}
      const response = await verifiedFetch(`ipfs://${url.pathname.slice('/ipfs/'.length)}${url.search}`, { headers, signal, session: false })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (response.body == null) {
        res.end()
      } else {
        await pipeline(Readable.fromWeb(response.body), res, { signal })
      }
    } catch (err) {
      if (abort.signal.aborted) return
      process.stderr.write(`bench-gateway: GET ${req.url}: ${err?.stack ?? err}\n`)
      if (res.headersSent) {
        res.destroy()
      } else {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err?.message ?? err}\n`)
      }
    }
  }
}

async function main (args) {
  if (args.length < 1 || args[0].startsWith('-')) {
    throw new Error('usage: bench-gateway.mjs REPO [--dial MULTIADDR] [FILE...]')
  }
  const repo = args[0]
  let dial = null
  let files = args.slice(1)
  if (files[0] === '--dial') {
    if (files.length < 2) throw new Error('--dial needs a multiaddr')
    dial = files[1]
    files = files.slice(2)
  }
  const helia = await createNode(repo)
  const fs = unixfs(helia)
  const cids = []
  for (const file of files) cids.push((await addFile(fs, file)).toString())
  if (dial != null) await helia.libp2p.dial(multiaddr(dial), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
  const verifiedFetch = await createVerifiedFetch(helia)
  const server = createServer(gateway(verifiedFetch))
  server.keepAliveTimeout = 60_000
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const addr = helia.libp2p.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
  if (addr == null) throw new Error('libp2p has no /ip4/127.0.0.1 address')
  process.stdout.write(JSON.stringify({ addr: addr.toString(), port: server.address().port, pid: process.pid, cids }) + '\n')
  process.stdin.resume()
  await new Promise(resolve => process.stdin.once('end', resolve))
  server.closeAllConnections()
  server.close()
  await verifiedFetch.stop()
  await helia.stop()
}

await main(process.argv.slice(2)).catch(fail)
process.exit(0)
