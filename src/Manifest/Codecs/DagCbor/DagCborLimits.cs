namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// Bounds applied while decoding (and, for depth, encoding) dag-cbor. Independently of these,
/// every declared length or count is checked against the bytes actually left in the input
/// before anything is allocated, so the input size the caller accepted is the outer bound.
/// </summary>
public sealed record DagCborLimits
{
    public static DagCborLimits Default { get; } = new();

    /// <summary>
    /// Most lists/maps nested inside each other. 64 matches System.Text.Json's default, is far
    /// above what real IPLD documents use (large structures span blocks via links, not nesting)
    /// and keeps the recursive tree builder well inside a thread-pool thread's stack.
    /// </summary>
    public int MaxDepth { get; init => field = NonNegative(value); } = 64;

    /// <summary>
    /// Most items in one list or entries in one map. 2^20 is above anything a 2 MiB bitswap
    /// block can usefully hold (a list of CIDs fits about 58k) and caps the node objects one
    /// collection header can make us create.
    /// </summary>
    public int MaxCollectionLength { get; init => field = NonNegative(value); } = 1 << 20;

    /// <summary>
    /// Most bytes in one text or byte string. Unbounded by default because the remaining input
    /// already bounds it; set it when strings are copied somewhere costlier than memory.
    /// </summary>
    public int MaxStringLength { get; init => field = NonNegative(value); } = int.MaxValue;

    private static int NonNegative(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "limits cannot be negative");
}
