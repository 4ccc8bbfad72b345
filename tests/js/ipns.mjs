// IPNS records with the `ipns` package, for the C# name-record conformance tests.
// Run with the Node 22 binary: scripts/node tests/js/ipns.mjs <mode> ...
//
//   keygen [<hex 32-byte seed>]
//       Prints three lines: hex protobuf private key, hex protobuf public key, peer id
//       (Ed25519; from the seed when given, else random).
//   create <hex protobuf private key> <value path> <seq> <ttl-ns> <validity RFC3339> [--v2-only]
//       Prints the hex of the marshalled record (protobuf IpnsEntry) made by
//       createIPNSRecordWithExpiration: V1+V2 compatible (value, validity, validityType EOL,
//       sequence, ttl, signatureV1, signatureV2, data) unless --v2-only (no V1 fields:
//       only signatureV2 and data... as the package writes them). The value path is used as
//       given (e.g. /ipfs/bafy...); a bare CID becomes /ipfs/<CIDv1>. The package rewrites the
//       validity to nanosecond precision: 2030-01-01T00:00:00Z is signed as
//       2030-01-01T00:00:00.000000000Z.
//   validate <hex protobuf public key | peer id string> <hex record>
//       Runs the package's ipnsValidator against the routing key /ipns/<multihash of the key>
//       (size cap 10 KiB, embedded key match, V2 signature, V1/V2 field agreement, expiry
//       against the current clock). Prints "OK" or "ERR <message>".
//   inspect <hex record>
//       Prints the unmarshalled record as one JSON line (bytes fields as hex), or "ERR <message>".
//
// Exit code 0 when a line was printed (including ERR), 1 on an unexpected failure, 2 on bad usage.
import { generateKeyPair, generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromCID, peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { createIPNSRecordWithExpiration, marshalIPNSRecord, multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { ipnsValidator } from 'ipns/validator'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { errorLine, fromHex, toHex, usage, writeLine } from './lib/io.mjs'

const USAGE = `usage:
  ipns.mjs keygen [<hex seed>]
  ipns.mjs create <hex private key> <value path> <seq> <ttl-ns> <validity RFC3339> [--v2-only]
  ipns.mjs validate <hex public key | peer id> <hex record>
  ipns.mjs inspect <hex record>`

async function keygen (args) {
  if (args.length > 1) return usage(USAGE)
  const key = args.length === 1
    ? await generateKeyPairFromSeed('Ed25519', fromHex(args[0]))
    : await generateKeyPair('Ed25519')
  await writeLine(toHex(privateKeyToProtobuf(key)))
  await writeLine(toHex(publicKeyToProtobuf(key.publicKey)))
  await writeLine(peerIdFromPublicKey(key.publicKey).toString())
}

async function create (args) {
  const v2Only = args.includes('--v2-only')
  const rest = args.filter(a => a !== '--v2-only')
  if (rest.length !== 5 || !/^\d+$/.test(rest[2]) || !/^\d+$/.test(rest[3])) return usage(USAGE)
  const [keyHex, value, seq, ttlNs, validity] = rest
  const key = privateKeyFromProtobuf(fromHex(keyHex))
  const record = await createIPNSRecordWithExpiration(key, value, BigInt(seq), validity, {
    v1Compatible: !v2Only,
    ttlNs: BigInt(ttlNs)
  })
  await writeLine(toHex(marshalIPNSRecord(record)))
}

/** The key's multihash from a hex protobuf public key, a peer id or a libp2p-key CID. */
function multihashOf (keyText) {
  if (/^[0-9a-fA-F]+$/.test(keyText)) {
    return publicKeyFromProtobuf(fromHex(keyText)).toMultihash()
  }
  if (keyText.startsWith('k')) {
    return peerIdFromCID(CID.parse(keyText, base36)).toMultihash()
  }
  return peerIdFromString(keyText).toMultihash()
}

async function validate (args) {
  if (args.length !== 2) return usage(USAGE)
  try {
    const routingKey = multihashToIPNSRoutingKey(multihashOf(args[0]))
    await ipnsValidator(routingKey, fromHex(args[1]))
    await writeLine('OK')
  } catch (err) {
    await writeLine(errorLine(err))
  }
}

async function inspect (args) {
  if (args.length !== 1) return usage(USAGE)
  try {
    const record = unmarshalIPNSRecord(fromHex(args[0]))
    const json = JSON.stringify(record, (_, v) =>
      v instanceof Uint8Array ? toHex(v) : typeof v === 'bigint' ? v.toString() : v)
    await writeLine(json)
  } catch (err) {
    await writeLine(errorLine(err))
  }
}

const modes = { keygen, create, validate, inspect }
const mode = modes[process.argv[2]]
if (mode == null) {
  usage(USAGE)
} else {
  try {
    await mode(process.argv.slice(3))
  } catch (err) {
    process.stderr.write(`ipns.mjs: ${err.stack ?? err}\n`)
    process.exitCode = 1
  }
}
