// kubo's own JS RPC client (kubo-rpc-client 7) against an overlay daemon's admin API, for the
// C# test that checks our /api/v0 speaks kubo's shapes as a real client sends and reads them.
// Run with Node 22: node kubo-rpc-client.mjs <api base URL, e.g. http://127.0.0.1:7779> <size> <seed>
//
// Prints one JSON object:
//   {"added":"<cid>","catSha256":"<hex>","catLength":n,"range":"<hex of 16 bytes at 1000>",
//    "dir":[{"path":…,"cid":…,"size":n}…],"block":{"cid":…,"size":n,"get":"<utf-8>"},
//    "tarBytes":n,"topics":[…],"pubsubPeers":[…]}
// or {"error":"…"} and exit code 1.
import { create } from 'kubo-rpc-client'
import { createHash } from 'node:crypto'
import { splitMix64Bytes } from './lib/splitmix64.mjs'

const [url, sizeText, seedText] = process.argv.slice(2)
const size = Number(sizeText)
const seed = BigInt(seedText)

async function collect (iterable) {
  const chunks = []
  for await (const chunk of iterable) chunks.push(chunk)
  return Buffer.concat(chunks)
}

try {
  const ipfs = create({ url: `${url}/api/v0` })
  const content = await collect(splitMix64Bytes(seed, size))

  const added = await ipfs.add(content, { cidVersion: 1, rawLeaves: true, pin: false })
  const hash = createHash('sha256')
  let catLength = 0
  for await (const chunk of ipfs.cat(added.cid)) {
    hash.update(chunk)
    catLength += chunk.byteLength
  }
  const range = await collect(ipfs.cat(added.cid, { offset: 1000, length: 16 }))

  const dir = []
  for await (const entry of ipfs.addAll([
    { path: 'album/one.txt', content: new TextEncoder().encode('one\n') },
    { path: 'album/deep/two.txt', content: new TextEncoder().encode('two\n') }
  ], { cidVersion: 1, rawLeaves: true, wrapWithDirectory: true })) {
    dir.push({ path: entry.path, cid: entry.cid.toString(), size: entry.size })
  }

  const blockCid = await ipfs.block.put(new TextEncoder().encode('a raw block'))
  const stat = await ipfs.block.stat(blockCid)
  const blockBytes = await ipfs.block.get(blockCid)

  const tar = await collect(ipfs.get(added.cid))

  await ipfs.pubsub.subscribe('kubo/client topic', () => {})
  await ipfs.pubsub.publish('kubo/client topic', new TextEncoder().encode('hello'))
  const topics = await ipfs.pubsub.ls()
  const pubsubPeers = (await ipfs.pubsub.peers('kubo/client topic')).map(p => p.toString())
  await ipfs.pubsub.unsubscribe('kubo/client topic')

  console.log(JSON.stringify({
    added: added.cid.toString(),
    catSha256: hash.digest('hex'),
    catLength,
    range: range.toString('hex'),
    dir,
    block: { cid: blockCid.toString(), size: stat.size, get: new TextDecoder().decode(blockBytes) },
    tarBytes: tar.length,
    topics,
    pubsubPeers
  }))
  process.exit(0)
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.message}` }))
  process.exit(1)
}
