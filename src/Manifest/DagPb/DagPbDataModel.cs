// Spec: https://ipld.io/specs/codecs/dag-pb/spec/#logical-format
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;

namespace Overlay.Manifest.DagPb;

/// <summary>
/// Maps dag-pb nodes to and from the IPLD data model form
/// <c>{Data?: Bytes, Links: [{Hash: Link, Name?: String, Tsize?: Int}]}</c>, the form dag-json
/// and dag-cbor renderings of a dag-pb block use.
/// </summary>
public static class DagPbDataModel
{
    public static IpldMap ToIpld(DagPbNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var links = node.Links.Select(link =>
        {
            var fields = new List<KeyValuePair<string, IpldNode>> { new("Hash", new IpldLink(link.Hash)) };
            if (link.Name is { } name)
            {
                fields.Add(new("Name", new IpldString(name)));
            }
            if (link.Tsize is { } tsize)
            {
                fields.Add(new("Tsize", new IpldInteger(tsize)));
            }
            return (IpldNode)new IpldMap(fields);
        });
        var entries = new List<KeyValuePair<string, IpldNode>>();
        if (node.Data is { } data)
        {
            entries.Add(new("Data", new IpldBytes(data)));
        }
        entries.Add(new("Links", new IpldList(links)));
        return new IpldMap(entries);
    }

    /// <summary>
    /// Converts the data model form to a node, rejecting anything dag-pb cannot encode
    /// (extra fields, wrong kinds, a negative Tsize, unsorted links) with <see cref="MalformedDataException"/>.
    /// </summary>
    public static DagPbNode FromIpld(IpldNode value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is not IpldMap map)
        {
            throw Invalid("not a map");
        }
        foreach (var (key, _) in map.Entries)
        {
            if (key is not ("Data" or "Links"))
            {
                throw Invalid("extraneous properties");
            }
        }
        ReadOnlyMemory<byte>? data = null;
        if (map.TryGetValue("Data", out var dataNode))
        {
            data = dataNode is IpldBytes bytes ? bytes.Value : throw Invalid("Data must be bytes");
        }
        if (!map.TryGetValue("Links", out var linksNode) || linksNode is not IpldList list)
        {
            throw Invalid("Links must be a list");
        }
        var links = new DagPbLink[list.Items.Count];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = LinkFromIpld(list.Items[i]);
            if (i > 0 && DagPbLinkNameComparer.Instance.Compare(links[i - 1], links[i]) > 0)
            {
                throw Invalid("links must be sorted by Name bytes");
            }
        }
        return new DagPbNode(links, data, validate: false);
    }

    private static DagPbLink LinkFromIpld(IpldNode value)
    {
        if (value is not IpldMap map)
        {
            throw Invalid("bad link");
        }
        foreach (var (key, _) in map.Entries)
        {
            if (key is not ("Hash" or "Name" or "Tsize"))
            {
                throw Invalid("extraneous properties on link");
            }
        }
        if (!map.TryGetValue("Hash", out var hashNode))
        {
            throw Invalid("link must have a Hash");
        }
        if (hashNode is not IpldLink hash)
        {
            throw Invalid("link Hash must be a CID");
        }
        string? name = null;
        if (map.TryGetValue("Name", out var nameNode))
        {
            name = nameNode is IpldString s ? s.Value : throw Invalid("link Name must be a string");
        }
        ulong? tsize = null;
        if (map.TryGetValue("Tsize", out var tsizeNode))
        {
            if (tsizeNode is not IpldInteger integer)
            {
                throw Invalid("link Tsize must be an integer");
            }
            if (integer.Value < 0)
            {
                throw Invalid("link Tsize cannot be negative");
            }
            if (integer.Value > ulong.MaxValue)
            {
                throw Invalid("link Tsize does not fit 64 bits");
            }
            tsize = (ulong)integer.Value;
        }
        try
        {
            return new DagPbLink(hash.Cid, name, tsize);
        }
        catch (ArgumentException e)
        {
            throw new MalformedDataException(DagPb.FormatName, "Invalid DAG-PB form (" + e.Message + ")", e);
        }
    }

    private static MalformedDataException Invalid(string why) => new(DagPb.FormatName, $"Invalid DAG-PB form ({why})");
}
