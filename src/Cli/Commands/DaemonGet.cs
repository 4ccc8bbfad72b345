using System.Formats.Tar;
using Overlay.Cli.Api;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay get</c> through the running daemon: <c>/api/v0/get</c> answers a tar stream (as
/// kubo's does) which is unpacked here as it arrives. Entry names come from the DAG, through
/// the daemon, so they are hostile: each must sit under the one top-level name, with no empty,
/// "." or ".." segment, and nothing is written through a symlink (checked on disk for every
/// parent). Files go to a temporary name and are renamed into place when complete.
/// </summary>
internal static class DaemonGet
{
    /// <summary>Writes through the daemon; false (nothing done) when no daemon runs.</summary>
    public static async Task<bool> TryRunAsync(CliContext context, string repoPath, string path, string target, bool json, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return false;
        }
        using var response = await client.TrySendAsync("get", [KeyValuePair.Create("arg", path)], null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }
        if (!json)
        {
            context.Console.Out.WriteLine($"Saving file(s) to {target}");
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var tar = new TarReader(body, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                string? root = null;
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var segments = entry.Name.TrimEnd('/').Split('/');
                    root ??= segments[0];
                    if (segments[0] != root || segments.Any(s => s.Length == 0 || s is "." or ".." || s.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
                    {
                        throw new CliException($"the daemon's archive has an entry named \"{entry.Name}\", which cannot be written safely");
                    }
                    var destination = segments.Length == 1 ? target : Path.Combine([target, .. segments[1..]]);
                    CheckParents(target, segments);
                    await WriteEntryAsync(entry, destination, cancellationToken).ConfigureAwait(false);
                }
                if (root is null)
                {
                    throw new CliException("the daemon's archive is empty");
                }
            }
        }
        return true;
    }

    private static async Task WriteEntryAsync(TarEntry entry, string destination, CancellationToken cancellationToken)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (new FileInfo(destination).LinkTarget is not null)
                {
                    throw new CliException($"refusing to write into {destination}: it is a symlink");
                }
                Directory.CreateDirectory(destination);
                break;
            case TarEntryType.SymbolicLink:
                var existing = new FileInfo(destination);
                if (existing.Exists || existing.LinkTarget is not null)
                {
                    File.Delete(destination);
                }
                File.CreateSymbolicLink(destination, entry.LinkName);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                await WriteFileAsync(entry, destination, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new CliException($"the daemon's archive has a {entry.EntryType} entry \"{entry.Name}\", which get does not write");
        }
    }

    /// <summary>Writes to a temporary name and renames, which replaces (never follows) whatever was there.</summary>
    private static async Task WriteFileAsync(TarEntry entry, string destination, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.part");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                if (entry.DataStream is { } data)
                {
                    await data.CopyToAsync(stream, 1 << 16, cancellationToken).ConfigureAwait(false);
                }
            }
            if (Directory.Exists(destination) && new FileInfo(destination).LinkTarget is null)
            {
                throw new CliException($"cannot write file {destination}: a directory is there");
            }
            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Every folder between the target and the entry must be a real folder, not a symlink (one the same archive made, say).</summary>
    private static void CheckParents(string target, string[] segments)
    {
        var current = target;
        for (var i = 1; i < segments.Length; i++)
        {
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new CliException($"refusing to write through {current}: it is a symlink");
            }
            current = Path.Combine(current, segments[i]);
        }
    }
}
