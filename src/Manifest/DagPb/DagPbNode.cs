// Spec: https://ipld.io/specs/codecs/dag-pb/spec/#logical-format
namespace Overlay.Manifest.DagPb;

/// <summary>
/// A dag-pb node: links plus optional opaque data. Nodes built here always have their links
/// sorted by name bytes (what the spec requires of encoders); nodes decoded from existing blocks
/// keep the order they were stored in, so re-encoding them reproduces the block.
/// </summary>
public sealed class DagPbNode
{
    public static DagPbNode Empty { get; } = new([], null, validate: false);

    private readonly DagPbLink[] _links;

    /// <param name="links">Links, already sorted by <see cref="DagPbLinkNameComparer"/>.</param>
    /// <param name="data">The Data field; null leaves it out, an empty array encodes an empty field.</param>
    public DagPbNode(IEnumerable<DagPbLink> links, ReadOnlyMemory<byte>? data = null)
        : this(links?.ToArray() ?? throw new ArgumentNullException(nameof(links)), data, validate: true)
    {
    }

    internal DagPbNode(DagPbLink[] links, ReadOnlyMemory<byte>? data, bool validate)
    {
        if (validate)
        {
            for (var i = 0; i < links.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(links[i], nameof(links));
                if (i > 0 && DagPbLinkNameComparer.Instance.Compare(links[i - 1], links[i]) > 0)
                {
                    throw new ArgumentException("dag-pb links must be sorted by name bytes; use CreateSorted", nameof(links));
                }
            }
        }
        _links = links;
        Data = data;
    }

    /// <summary>Builds a node after a stable sort of <paramref name="links"/> by name bytes.</summary>
    public static DagPbNode CreateSorted(IEnumerable<DagPbLink> links, ReadOnlyMemory<byte>? data = null)
    {
        ArgumentNullException.ThrowIfNull(links);
        var sorted = links.ToArray();
        foreach (var link in sorted)
        {
            ArgumentNullException.ThrowIfNull(link, nameof(links));
        }
        // List.Sort is unstable; OrderBy is stable, as the spec asks for equal names.
        return new DagPbNode(sorted.OrderBy(l => l, DagPbLinkNameComparer.Instance).ToArray(), data, validate: false);
    }

    public IReadOnlyList<DagPbLink> Links => _links;

    /// <summary>The Data field, or null when the block has none (distinct from present but empty).</summary>
    public ReadOnlyMemory<byte>? Data { get; }

    internal ReadOnlySpan<DagPbLink> LinkSpan => _links;
}
