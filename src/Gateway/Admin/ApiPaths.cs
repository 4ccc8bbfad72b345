using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Admin;

/// <summary>IPFS paths in arguments: <c>&lt;cid&gt;[/path]</c> or <c>/ipfs/&lt;cid&gt;[/path]</c>.</summary>
internal static class ApiPaths
{
    private const string IpfsPrefix = "/ipfs/";

    /// <summary>The root CID and the non-empty segments below it.</summary>
    public static (Cid Root, IReadOnlyList<string> Segments) Parse(string text)
    {
        var rest = text.StartsWith(IpfsPrefix, StringComparison.Ordinal) ? text[IpfsPrefix.Length..] : text;
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || rest.StartsWith('/'))
        {
            throw new ApiArgumentException($"invalid path \"{text}\": expected <cid>[/path] or /ipfs/<cid>[/path]");
        }
        return (Cid(parts[0]), parts[1..]);
    }

    /// <summary>A bare CID (or <c>/ipfs/&lt;cid&gt;</c>) with no path below it.</summary>
    public static Cid ParseCid(string text)
    {
        var (cid, segments) = Parse(text);
        return segments.Count == 0 ? cid : throw new ApiArgumentException($"invalid path \"{text}\": expected the CID of one block");
    }

    /// <summary>The CID the path names, walking UnixFS directories below the root.</summary>
    public static async Task<Cid> ResolveAsync(UnixFsReader reader, string text, CancellationToken cancellationToken)
    {
        var (root, segments) = Parse(text);
        return segments.Count == 0 ? root : await reader.ResolveAsync(root, string.Join('/', segments), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name <c>get</c> gives what it writes: the last path segment, else the CID.</summary>
    public static string NameOf(string text)
    {
        var (root, segments) = Parse(text);
        return segments.Count > 0 ? segments[^1] : root.ToString();
    }

    private static Cid Cid(string text)
    {
        try
        {
            return Manifest.Multiformats.Cid.Parse(text);
        }
        catch (MalformedDataException e)
        {
            throw new ApiArgumentException($"invalid CID \"{text}\": {e.Message}", e);
        }
    }
}
