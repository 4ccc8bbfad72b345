using Overlay.Manifest.Errors;

namespace Overlay.Streams.Sync;

/// <summary>A pushed or held bundle failed one check of specs/sync.md §5; <see cref="Reason"/> is the counted reason.</summary>
public sealed class BundleRefusedException(string reason, string message, Exception? inner = null)
    : VerificationException(message, inner)
{
    public string Reason { get; } = reason;
}
