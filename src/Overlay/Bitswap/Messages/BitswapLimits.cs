// Spec: https://specs.ipfs.tech/bitswap-protocol/ (message and block size limits)
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Messages;

/// <summary>The named bounds every bitswap message is checked against before anything is allocated.</summary>
public static class BitswapLimits
{
    /// <summary>"All protocol messages MUST be less than or equal to 4MiB in size" (bitswap spec, 1.0.0 protocol format).</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    /// <summary>Implementations "MUST support ... blocks of sizes less than or equal to 2MiB" and larger ones are not recommended (spec, Block Sizes).</summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    /// <summary>
    /// Wantlist entries in one message: 1024, the cap Helia puts on a peer's whole wantlist
    /// (DEFAULT_MAX_WANTLIST_SIZE) and boxo on the entries it queues per peer
    /// (MaxQueuedWantlistEntiresPerPeer). A message with more is refused, not truncated.
    /// </summary>
    public const int MaxWantlistEntries = 1024;

    /// <summary>Block presences in one message: answers to at most a few full wantlists.</summary>
    public const int MaxPresences = 4 * MaxWantlistEntries;

    /// <summary>
    /// Blocks in one message. 4 MiB of empty blocks would otherwise be a million list entries;
    /// real senders pack at most a few thousand small blocks.
    /// </summary>
    public const int MaxBlocks = 4 * MaxWantlistEntries;

    /// <summary>A CID on the wire: boxo's MaximumAllowedCid (four 10-byte varints plus a 128-byte digest).</summary>
    public const int MaxCidLength = 4 * 10 + Multihash.MaxDigestLength;

    /// <summary>A CID prefix: version, codec, hash function and digest length, each a varint of at most 9 bytes.</summary>
    public const int MaxPrefixLength = 4 * Varint.MaxLength;
}
