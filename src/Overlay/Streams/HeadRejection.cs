namespace Overlay.Streams;

/// <summary>Why an offered head did not become the followed head (the metric's reason labels).</summary>
public static class HeadRejection
{
    /// <summary>Not a well-formed head block, or over the size cap.</summary>
    public const string Malformed = "malformed";

    /// <summary>Signed (or claiming to be) by a key other than the stream's.</summary>
    public const string ForeignKey = "foreign-key";

    /// <summary>The stream key's signature does not verify over the exact bytes.</summary>
    public const string BadSignature = "bad-signature";

    /// <summary>Past its expiry, or signed too far in the future.</summary>
    public const string Expired = "expired";

    /// <summary>Smaller, or not newer, than the held head: a replay or a late copy (ignored, not punished).</summary>
    public const string Replay = "replay";

    /// <summary>Inconsistent with the held head: the publisher forked its history.</summary>
    public const string Fork = "fork";

    /// <summary>Extends or unseals a sealed stream.</summary>
    public const string Sealed = "sealed";
}
