namespace Overlay.Streams.Sync;

/// <summary>Why pushed data was not taken (specs/sync.md §5), as counted in <see cref="SyncMetrics"/>.</summary>
public static class SyncRejection
{
    /// <summary>A summary or frame that breaks the format or a limit; the session ends.</summary>
    public const string Malformed = "malformed";

    /// <summary>A pushed head whose signature, encoding or stream key does not verify.</summary>
    public const string BadHead = "bad-head";

    /// <summary>A head or bundle whose lifetime is over (or that is dated too far ahead).</summary>
    public const string Expired = "expired";

    /// <summary>A bundle frame for a stream whose head was not pushed or held, or a seq outside it.</summary>
    public const string NoHead = "no-head";

    /// <summary>A stream not taken because the node carries as many as it may, or does not carry unasked streams.</summary>
    public const string NotCarried = "not-carried";

    /// <summary>A block the bundle's checks need was neither pushed nor held (not a fault of the data, but counted).</summary>
    public const string Missing = "missing";

    /// <summary>The bundle block or a page-tree node does not hash to its CID or does not decode.</summary>
    public const string Bundle = "bundle";

    /// <summary>The bundle is malformed, names another stream or its signature fails.</summary>
    public const string Signature = "signature";

    /// <summary>The bundle is not leaf seq of the head.</summary>
    public const string Inclusion = "inclusion";

    /// <summary>The payload is missing, a block does not hash to its CID, or its length differs from the signed size.</summary>
    public const string Payload = "payload";

    /// <summary>A session asked of us while that peer's previous one (or too many in all) is still being answered.</summary>
    public const string Busy = "busy";

    /// <summary>More blocks pushed than the session may stage.</summary>
    public const string Staging = "staging";
}
