using Overlay.Manifest.Streams;
using Overlay.Streams.Retention;

namespace Overlay.Streams.Sync;

/// <summary>A held, unexpired bundle the peer lacks, with the head it is pushed under.</summary>
internal sealed record PushCandidate(SignedTreeHead Head, BundleFacts Facts);
