namespace Overlay.Manifest.Codecs.DagJson;

/// <summary>
/// Bounds applied while decoding (and, for depth, encoding) dag-json; the same defaults as
/// <see cref="DagCbor.DagCborLimits"/> so a document that fits one codec fits the other.
/// </summary>
public sealed record DagJsonLimits
{
    public static DagJsonLimits Default { get; } = new();

    /// <summary>
    /// Most data-model lists/maps nested inside each other. The JSON wrappers of bytes and
    /// links (<c>{"/":…}</c>) do not count: they are leaves of the data model.
    /// </summary>
    public int MaxDepth { get; init => field = NonNegative(value); } = 64;

    /// <summary>Most items in one list or entries in one map (see <see cref="DagCbor.DagCborLimits.MaxCollectionLength"/>).</summary>
    public int MaxCollectionLength { get; init => field = NonNegative(value); } = 1 << 20;

    /// <summary>Most UTF-8 bytes in one string once unescaped; the input size bounds it anyway.</summary>
    public int MaxStringLength { get; init => field = NonNegative(value); } = int.MaxValue;

    private static int NonNegative(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "limits cannot be negative");
}
