using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli;

/// <summary>Reads a CID the way kubo's commands accept one: bare, or as an <c>/ipfs/&lt;cid&gt;</c> path.</summary>
internal static class CidArgument
{
    private const string IpfsPrefix = "/ipfs/";

    public static Cid Parse(string text)
    {
        var cidText = text.StartsWith(IpfsPrefix, StringComparison.Ordinal) ? text[IpfsPrefix.Length..].TrimEnd('/') : text;
        if (cidText.Contains('/', StringComparison.Ordinal))
        {
            throw new CliException($"invalid path \"{text}\": paths inside a DAG are not supported here, give the CID of the block or file");
        }
        try
        {
            return Cid.Parse(cidText);
        }
        catch (MalformedDataException e)
        {
            throw new CliException($"invalid CID \"{text}\": {e.Message}", e);
        }
    }
}
