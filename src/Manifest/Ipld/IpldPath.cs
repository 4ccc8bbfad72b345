using System.Globalization;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Codecs;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Ipld;

/// <summary>
/// Resolves <c>&lt;cid&gt;/a/0/b</c> paths over the data model, as kubo's <c>dag get</c> does:
/// map keys and list indexes, loading each link reached (the last one too).
/// </summary>
public static class IpldPath
{
    /// <summary>Links one path may cross: enough for any real path, too few for a link chain to keep a request busy.</summary>
    public const int MaxLinksFollowed = 64;

    /// <exception cref="IpldPathException">A segment is not in the node it applies to, or the path crosses more than <see cref="MaxLinksFollowed"/> links.</exception>
    /// <exception cref="BlockNotFoundException">A block on the way is not in <paramref name="store"/>.</exception>
    /// <exception cref="Errors.OverlayException">A block on the way does not decode in its codec.</exception>
    public static async Task<IpldNode> ResolveAsync(IBlockStore store, Cid root, IReadOnlyList<string> segments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(segments);
        var node = await LoadAsync(store, root, cancellationToken).ConfigureAwait(false);
        var linksFollowed = 0;
        var walked = root.ToString();
        foreach (var segment in segments)
        {
            node = node switch
            {
                IpldMap map when map.TryGetValue(segment, out var value) => value,
                IpldList list when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count => list.Items[index],
                _ => throw new IpldPathException($"no \"{segment}\" in {walked} (a {node.Kind.ToString().ToLowerInvariant()})"),
            };
            walked += "/" + segment;
            if (node is IpldLink link)
            {
                if (++linksFollowed > MaxLinksFollowed)
                {
                    throw new IpldPathException($"path {walked} crosses more than {MaxLinksFollowed} links");
                }
                node = await LoadAsync(store, link.Cid, cancellationToken).ConfigureAwait(false);
            }
        }
        return node;
    }

    private static async Task<IpldNode> LoadAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken)
    {
        var block = await store.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(cid);
        return IpldCodecs.Decode(cid.Codec, block.Span);
    }
}
