using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Turns a local input (a video file, an HLS folder or playlist) into a signed, sealed stream in
/// the node's blocks. The daemon supplies it (the importers live in the Bridge layer, which the
/// gateway does not reference); without one, <c>stream/publish</c> is refused.
/// </summary>
public interface IStreamImporter
{
    Task<SignedTreeHead> ImportAsync(StreamImportRequest request, IProgress<StreamImportProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>What to import and how to sign it.</summary>
/// <param name="Input">Absolute path of the input on the daemon's machine.</param>
/// <param name="Key">The stream key.</param>
/// <param name="Title">Title signed into the head.</param>
/// <param name="Priority">Priority class of every bundle.</param>
public sealed record StreamImportRequest(string Input, Ed25519PrivateKey Key, string Title, PriorityClass Priority);

/// <summary>Running totals of an import: bundles signed and payload bytes stored.</summary>
public readonly record struct StreamImportProgress(int Bundles, long Bytes);
