using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>One block section of a CAR: the CID and the block bytes.</summary>
public readonly record struct CarBlock(Cid Cid, ReadOnlyMemory<byte> Data);
