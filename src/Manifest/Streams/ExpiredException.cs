using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Streams;

/// <summary>A signed bundle or head whose <c>expires</c> is not after the verifier's clock.</summary>
public sealed class ExpiredException : VerificationException
{
    public ExpiredException(string what, DateTimeOffset expires, DateTimeOffset now)
        : base($"{what} expired at {expires:O} (now {now:O})")
    {
        Expires = expires;
        Now = now;
    }

    public DateTimeOffset Expires { get; }
    public DateTimeOffset Now { get; }
}
