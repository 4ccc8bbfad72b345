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

/** Writes one JSON object as a line: the event and answer format of the long-running peers. */
export function emit (obj) {
  return writeLine(JSON.stringify(obj))
}

/**
 * The long-running peers' command loop: each stdin line is a JSON request {id, cmd, ...}
 * answered by {id, ok: true, ...result} or {id, ok: false, error}. Commands run concurrently so
 * a slow one does not block the rest; `exit` ends the process after answering.
 */
export async function serveCommands (commands) {
  for await (const line of stdinLines()) {
    const request = JSON.parse(line)
    const run = commands[request.cmd]
    ;(async () => {
      try {
        if (!run) throw new Error(`unknown command ${request.cmd}`)
        const result = await run(request)
        await emit({ id: request.id, ok: true, ...result })
        if (request.cmd === 'exit') process.exit(0)
      } catch (err) {
        await emit({ id: request.id, ok: false, error: String(err?.stack ?? err) })
      }
    })()
  }
}
