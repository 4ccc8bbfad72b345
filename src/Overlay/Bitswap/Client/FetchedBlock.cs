using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>A block fetched (or found locally) by CID; its bytes were checked against the CID.</summary>
public readonly record struct FetchedBlock(Cid Cid, ReadOnlyMemory<byte> Data);
