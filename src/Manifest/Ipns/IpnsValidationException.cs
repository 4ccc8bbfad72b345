using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Ipns;

/// <summary>A well-formed IPNS record failed a check of trust; <see cref="Reason"/> says which.</summary>
public sealed class IpnsValidationException : VerificationException
{
    public IpnsValidationException(IpnsValidationFailure reason, string message, Exception? inner = null)
        : base($"ipns: {message}", inner)
    {
        Reason = reason;
    }

    public IpnsValidationFailure Reason { get; }
}
