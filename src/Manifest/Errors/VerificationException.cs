namespace Overlay.Manifest.Errors;

/// <summary>
/// Well-formed data that fails a check of trust: a signature that does not verify, bytes that
/// do not hash to their CID, an expired record, a proof that does not lead to the signed root.
/// </summary>
public class VerificationException : OverlayException
{
    public VerificationException(string message, Exception? inner = null) : base(message, inner) { }
}
