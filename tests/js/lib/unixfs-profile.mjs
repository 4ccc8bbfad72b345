// The importer options of the unixfs-v1-2025 profile (IPIP-499), spelled out so a change of
// library defaults cannot move them: CIDv1, raw leaves, fixed 1 MiB chunks, balanced layout
// with at most 1024 links per dag-pb node, a file of one chunk is just its raw leaf. These give
// the same CIDs as `overlay add` for the same bytes (bench/Overlay.Bench's gateway scenario checks).
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

export const PROFILE_CHUNK_SIZE = 1_048_576

/** Fresh options for @helia/unixfs addByteStream/addFile (the chunker and layout are per import). */
export function profileImportOptions () {
  return {
    profile: 'unixfs-v1-2025',
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: PROFILE_CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: 1024 })
  }
}
