// Helia fetching a UnixFS file through an HTTP trustless gateway (ours), for the C# gateway tests.
// Run with the Node 22 binary: scripts/node tests/js/helia-gateway-fetch.mjs <gateway url> <cid>
//
// A light Helia node (memory stores, no libp2p) whose only block broker is
// @helia/trustless-gateway-client and whose only router is @helia/fallback-router naming the
// gateway: every block is requested as GET /ipfs/<cid>?format=raw with
// Accept: application/vnd.ipld.raw and verified by Helia against its CID before use.
// Prints one JSON line {"bytes": N, "sha256": "<hex of the file>"}, or "ERR <message>".
//
// Exit code 0 when a line was printed (including ERR), 2 on bad usage.
import { createHash } from 'node:crypto'
import { createHeliaLight } from 'helia'
import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import { fallbackRouter } from '@helia/fallback-router'
import { unixfs } from '@helia/unixfs'
import { CID } from 'multiformats/cid'
import { errorLine, usage, writeLine } from './lib/io.mjs'

const USAGE = 'usage: helia-gateway-fetch.mjs <gateway url> <cid>'

async function main (args) {
  if (args.length !== 2) return usage(USAGE)
  const [gateway, cidText] = args
  const helia = createHeliaLight({
    blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: true, allowLocal: true })],
    // Helia 7 waits forever for providers when every router is a fallback one (the provider
    // queue only goes idle when a non-fallback router finishes), so an empty ordinary router
    // comes first; the gateway is then the only provider found.
    routers: [{ name: 'none', async * findProviders () {} }, fallbackRouter({ gateways: [gateway] })]
  })
  await helia.start()
  try {
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of unixfs(helia).cat(CID.parse(cidText), { signal: AbortSignal.timeout(60_000) })) {
      hash.update(chunk)
      bytes += chunk.length
    }
    await writeLine(JSON.stringify({ bytes, sha256: hash.digest('hex') }))
  } catch (err) {
    await writeLine(errorLine(err))
  } finally {
    await helia.stop()
  }
}

await main(process.argv.slice(2))
