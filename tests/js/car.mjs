// CAR (v1, and v2 for reading) files with @ipld/car, for the C# CAR and gateway tests.
// Run with the Node 22 binary: scripts/node tests/js/car.mjs <mode> ...
//
//   read <path>
//       Loads the file with CarReader and prints "version <1|2>", then "root <CID>" per
//       header root, then "block <CID> <length>" per block in file order, after checking
//       that each block's bytes hash to its CID's multihash (sha2-256, sha2-512, identity).
//       On a bad file or a mismatch prints "ERR <message>" and exits 1.
//   write <path> [<root CID>...]
//       Reads stdin lines "<CID> <hex block bytes>" (just "<CID>" for an empty block), checks each hash as above, and writes
//       a CARv1 with CarWriter (the given roots, possibly none) in input order. Prints
//       "OK <block count>" or "ERR <message>" (exit 1).
//
// CIDs print in their default string form (base32 for v1, base58btc "Qm..." for v0).
// Exit code 2 on bad usage.
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CarReader, CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { equals } from 'uint8arrays'
import { errorLine, fromHex, stdinLines, usage, writeLine } from './lib/io.mjs'

const hashers = new Map([sha256, sha512, identity].map(h => [h.code, h]))

async function checkBlock (cid, bytes) {
  const hasher = hashers.get(cid.multihash.code)
  if (hasher == null) {
    throw new Error(`block ${cid}: unsupported multihash code 0x${cid.multihash.code.toString(16)}`)
  }
  const digest = await hasher.digest(bytes)
  if (!equals(digest.bytes, cid.multihash.bytes)) {
    throw new Error(`block ${cid}: bytes do not hash to the CID`)
  }
}

async function read (args) {
  if (args.length !== 1) return usage('usage: car.mjs read <path>')
  const reader = await CarReader.fromBytes(await readFile(args[0]))
  await writeLine(`version ${reader.version}`)
  for (const root of await reader.getRoots()) await writeLine(`root ${root}`)
  for await (const { cid, bytes } of reader.blocks()) {
    await checkBlock(cid, bytes)
    await writeLine(`block ${cid} ${bytes.length}`)
  }
}

async function write (args) {
  if (args.length < 1) return usage('usage: car.mjs write <path> [<root CID>...]  (stdin: "<CID> <hex>" lines)')
  const roots = args.slice(1).map(s => CID.parse(s))
  const { writer, out } = CarWriter.create(roots)
  const done = pipeline(Readable.from(out), createWriteStream(args[0]))
  let count = 0
  try {
    for await (const line of stdinLines()) {
      const [cidText, hex = '', extra] = line.split(/\s+/)
      if (extra != null) throw new Error(`line ${count + 1}: expected "<CID> <hex>"`)
      const cid = CID.parse(cidText)
      const bytes = fromHex(hex)
      await checkBlock(cid, bytes)
      await writer.put({ cid, bytes })
      count++
    }
  } finally {
    await writer.close()
    await done
  }
  await writeLine(`OK ${count}`)
}

const modes = { read, write }
const mode = modes[process.argv[2]]
if (mode == null) {
  usage('usage: car.mjs read <path> | car.mjs write <path> [<root CID>...]')
} else {
  try {
    await mode(process.argv.slice(3))
  } catch (err) {
    await writeLine(errorLine(err))
    process.exitCode = 1
  }
}
