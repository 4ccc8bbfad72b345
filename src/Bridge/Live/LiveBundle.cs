using Overlay.Bridge.Import;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Live;

/// <summary>One bundle a live import signed: the block to append to the stream, and where its bytes came from.</summary>
public sealed record LiveBundle(SignedBundle Signed, ImportedBundle Imported);
