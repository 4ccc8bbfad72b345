// Small stdin/stdout helpers shared by the scripts in tests/js (Node 22).
import { createInterface } from 'node:readline'
import { fromString, toString } from 'uint8arrays'

/** Yields each line of stdin without its line ending; blank lines are skipped. */
export async function * stdinLines () {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of rl) {
    const trimmed = line.trim()
    if (trimmed.length > 0) yield trimmed
  }
}

/** Lower-case hex of bytes. */
export function toHex (bytes) {
  return toString(bytes, 'base16')
}

/** Bytes from hex (either case); throws on odd length or a non-hex character. */
export function fromHex (hex) {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new Error('invalid hex')
  }
  return fromString(hex.toLowerCase(), 'base16')
}

/** Writes one line to stdout, waiting when the pipe is full. */
export async function writeLine (text) {
  if (!process.stdout.write(text + '\n')) {
    await new Promise(resolve => process.stdout.once('drain', resolve))
  }
}

/** One-line error text: never contains a line break. */
export function errorLine (err) {
  const message = err instanceof Error ? err.message : String(err)
  return 'ERR ' + message.replace(/\s+/g, ' ').trim()
}

/** Prints usage to stderr and sets exit code 2. */
export function usage (text) {
  process.stderr.write(text.trim() + '\n')
  process.exitCode = 2
}
