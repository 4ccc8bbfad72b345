using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli;

/// <summary>Resolves a command's <c>&lt;cid&gt;[/path]</c> argument to the UnixFS node it names.</summary>
internal static class UnixFsArgument
{
    public static async Task<Cid> ResolveAsync(UnixFsReader reader, string text, CancellationToken cancellationToken)
    {
        var (root, segments) = CidArgument.ParsePath(text);
        if (segments.Count == 0)
        {
            return root;
        }
        try
        {
            return await reader.ResolveAsync(root, string.Join('/', segments), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // The reader calls a path it will not walk (".." above the root, too deep) caller misuse; here the caller is the user.
            throw new CliException($"invalid path \"{text}\": {e.Message}", e);
        }
    }
}
