// dag-cbor reference codec for the C# conformance tests (@ipld/dag-cbor, @ipld/dag-json).
// Run with the Node 22 binary: scripts/node tests/js/dagcbor.mjs <mode>
//
//   encode   stdin: one dag-json text per line.
//            stdout, one line per input line: "<hex dag-cbor bytes> <CID>" where CID is
//            CIDv1, codec dag-cbor (0x71), sha2-256, base32 ("bafyrei..."),
//            or "ERR <message>" when the line is not valid dag-json or cannot be encoded.
//   decode   stdin: one hex dag-cbor block per line (strict decoding: the library's
//            defaults reject undefined, non-canonical integers/lengths, indefinite lengths,
//            duplicate or unsorted map keys... as @ipld/dag-cbor does).
//            stdout, one line per input line: the dag-json text, or "ERR <message>".
//            The library is lenient in two ways a strict decoder is not: it turns CBOR
//            undefined (0xf7) into null, and it accepts map keys out of canonical order.
//   decode-canonical
//            as decode, and also "ERR not canonical dag-cbor" unless re-encoding the value
//            gives back exactly the input bytes (catches undefined, unsorted keys, short floats).
//
// Blank input lines are skipped. Exit code 0 even when lines are rejected (the ERR line
// says so); 2 on bad usage.
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals, fromString, toString } from 'uint8arrays'
import { errorLine, fromHex, stdinLines, toHex, usage, writeLine } from './lib/io.mjs'

async function encodeLine (line) {
  const value = dagJson.decode(fromString(line))
  const bytes = dagCbor.encode(value)
  const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
  return `${toHex(bytes)} ${cid.toString()}`
}

function decodeLine (line) {
  const value = dagCbor.decode(fromHex(line))
  return toString(dagJson.encode(value))
}

function decodeCanonicalLine (line) {
  const bytes = fromHex(line)
  const value = dagCbor.decode(bytes)
  if (!equals(dagCbor.encode(value), bytes)) {
    throw new Error('not canonical dag-cbor')
  }
  return toString(dagJson.encode(value))
}

const modes = {
  encode: encodeLine,
  decode: decodeLine,
  'decode-canonical': decodeCanonicalLine
}

const mode = modes[process.argv[2]]
if (mode == null || process.argv.length !== 3) {
  usage('usage: dagcbor.mjs encode|decode|decode-canonical  (lines on stdin, see the header of this file)')
} else {
  for await (const line of stdinLines()) {
    let out
    try {
      out = await mode(line)
    } catch (err) {
      out = errorLine(err)
    }
    await writeLine(out)
  }
}
