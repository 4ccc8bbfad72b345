namespace Overlay.Bitswap.Client;

/// <summary>How a want ended: the block's size, and its bytes when a waiter asked for them (else empty).</summary>
internal readonly record struct BlockArrival(ReadOnlyMemory<byte> Data, int Size);
