using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli;

/// <summary>
/// Reads a CID or content path the way kubo's commands accept one: <c>&lt;cid&gt;</c>,
/// <c>&lt;cid&gt;/a/b</c> or <c>/ipfs/&lt;cid&gt;/a/b</c>.
/// </summary>
internal static class CidArgument
{
    private const string IpfsPrefix = "/ipfs/";

    /// <summary>A bare CID (or <c>/ipfs/&lt;cid&gt;</c>); a path below it is refused.</summary>
    public static Cid Parse(string text)
    {
        var (cid, segments) = ParsePath(text);
        if (segments.Count > 0)
        {
            throw new CliException($"invalid path \"{text}\": this command takes the CID of one block, not a path below it");
        }
        return cid;
    }

    /// <summary>The root CID and the path segments below it (empty segments from "//" or a trailing "/" are dropped).</summary>
    public static (Cid Root, IReadOnlyList<string> Segments) ParsePath(string text)
    {
        var rest = text.StartsWith(IpfsPrefix, StringComparison.Ordinal) ? text[IpfsPrefix.Length..] : text;
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || rest.StartsWith('/'))
        {
            throw new CliException($"invalid path \"{text}\": expected <cid>[/path] or /ipfs/<cid>[/path]");
        }
        try
        {
            return (Cid.Parse(parts[0]), parts[1..]);
        }
        catch (MalformedDataException e)
        {
            throw new CliException($"invalid CID \"{parts[0]}\": {e.Message}", e);
        }
    }
}
