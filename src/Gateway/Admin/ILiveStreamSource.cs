using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Admin;

/// <summary>
/// A live input being imported (a growing playlist, or ffmpeg reading a URL, a file or stdin):
/// signed bundles as segments close, and the title and renditions for each head.
/// </summary>
public interface ILiveStreamSource
{
    /// <summary>Title and renditions for the next head.</summary>
    StreamMetadata Metadata { get; }

    /// <summary>Bundles from <paramref name="firstSeq"/> on, their payloads already in the node's blocks, until the input ends.</summary>
    IAsyncEnumerable<SignedBundle> ReadAsync(long firstSeq, CancellationToken cancellationToken);
}
