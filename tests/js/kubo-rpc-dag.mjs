// kubo's own JS RPC client (kubo-rpc-client 7) against an overlay daemon's admin API: dag put/get,
// dag export/import and block rm, for the C# test that checks those routes speak kubo's shapes
// as a real client sends and reads them.
// Run with Node 22: node kubo-rpc-dag.mjs <api base URL, e.g. http://127.0.0.1:7779>
//
// Prints one JSON object:
//   {"leaf":"<cid>","parent":"<cid>","sha512":"<cid>","got":{…the parent as the client decoded it…},
//    "car":"<hex>","imported":[{"cid":…,"pinErrorMsg":…}],"rmPinned":[{"cid":…,"error":…}],
//    "rmLoose":[{"cid":…,"error":null}],"loose":"<cid>"}
// or {"error":"…"} and exit code 1.
import { create } from 'kubo-rpc-client'

const [url] = process.argv.slice(2)

async function collect (iterable) {
  const chunks = []
  for await (const chunk of iterable) chunks.push(chunk)
  return Buffer.concat(chunks)
}

async function all (iterable) {
  const items = []
  for await (const item of iterable) items.push(item)
  return items
}

try {
  const ipfs = create({ url: `${url}/api/v0` })

  const leaf = await ipfs.dag.put({ leaf: true, n: [1, 2] })
  const parent = await ipfs.dag.put({ child: leaf, name: 'parent' }, { pin: true })
  const sha512 = await ipfs.dag.put({ leaf: true, n: [1, 2] }, { hashAlg: 'sha2-512' })
  const got = await ipfs.dag.get(parent)

  const car = await collect(ipfs.dag.export(parent))
  const imported = (await all(ipfs.dag.import([car], { pinRoots: true })))
    .map(r => ({ cid: r.root.cid.toString(), pinErrorMsg: r.root.pinErrorMsg }))

  const rmPinned = (await all(ipfs.block.rm(parent)))
    .map(r => ({ cid: r.cid.toString(), error: r.error?.message ?? null }))
  const loose = await ipfs.block.put(new TextEncoder().encode('loose block'))
  const rmLoose = (await all(ipfs.block.rm(loose)))
    .map(r => ({ cid: r.cid.toString(), error: r.error?.message ?? null }))

  console.log(JSON.stringify({
    leaf: leaf.toString(),
    parent: parent.toString(),
    sha512: sha512.toString(),
    got: { name: got.value.name, child: got.value.child.toString() },
    car: car.toString('hex'),
    imported,
    rmPinned,
    rmLoose,
    loose: loose.toString()
  }))
  process.exit(0)
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.message}` }))
  process.exit(1)
}
