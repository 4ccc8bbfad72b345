// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-cat (and #api-v0-get)
using System.Formats.Tar;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>Directory nesting <c>get</c> follows; real trees are far shallower, a crafted DAG need not be.</summary>
    private const int MaxGetDepth = 256;

    /// <summary>
    /// Look-ahead of cat/get: blocks requested ahead of the one being sent, so a fetch over the
    /// network keeps wants in flight instead of paying a round trip per block: 9 of the 1 MiB
    /// leaves the importer writes in flight let a 50 ms link carry ~180 MB/s, where the reader's
    /// default (4, so 5 in flight) caps it near 100. On loopback the depth is not what bounds
    /// the rate: 4 to 64 measured the same within the noise (bench/analysis.md, "Bitswap through
    /// the daemon"). Memory stays bounded per request: at most Prefetch + 1 blocks per DAG level
    /// are held (9 MiB with 1 MiB leaves, 18 MiB at bitswap's 2 MiB block cap), however large
    /// the file; 16 made a daemon with a 48 MiB heap run out during a loaded test run.
    /// </summary>
    private static readonly UnixFsReaderOptions ReadOptions = new() { Prefetch = 8 };

    /// <summary>
    /// <c>cat?arg=&lt;path&gt;…&amp;offset=N&amp;length=N</c>: the files' bytes, streamed as they are
    /// read (offset and length apply to the concatenation, as in kubo). Missing blocks come over
    /// bitswap; the reader holds only its few blocks of look-ahead, so memory does not grow with
    /// the file. Everything is resolved and checked before the first byte, so a bad path is an
    /// error answer; a failure mid-stream aborts the response, which the client sees as an error
    /// instead of a short file.
    /// </summary>
    private async Task<IResult> CatAsync(HttpContext context)
    {
        var paths = ApiArguments.All(context.Request);
        if (paths.Count == 0)
        {
            throw new ApiArgumentException("argument \"ipfs-path\" is required");
        }
        var skip = ApiOptions.Long(context.Request, 0, "offset", "o") ?? 0;
        var remaining = ApiOptions.Long(context.Request, 0, "length", "l");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // Leased while read, so a GC meanwhile cannot drop blocks between fetch and send.
        using var operation = node.Repo.Blocks.BeginOperation();
        var reader = new UnixFsReader(operation.Track(node.CreateNetworkBlocks()), ReadOptions);
        var ranges = new List<(Cid Cid, long Offset, long Length)>();
        foreach (var path in paths)
        {
            var cid = await ApiPaths.ResolveAsync(reader, path, cancel.Token).ConfigureAwait(false);
            var stat = await reader.StatAsync(cid, cancel.Token).ConfigureAwait(false);
            if (stat.Type is not (UnixFsType.File or UnixFsType.Raw))
            {
                throw new ApiArgumentException($"{path} is a {stat.Type.ToString().ToLowerInvariant()}, not a file");
            }
            var size = checked((long)stat.Size);
            if (remaining == 0)
            {
                continue;
            }
            if (skip >= size)
            {
                skip -= size;
                continue;
            }
            var take = remaining is { } r ? Math.Min(r, size - skip) : size - skip;
            ranges.Add((cid, skip, take));
            skip = 0;
            remaining -= take;
        }
        context.Response.ContentType = "text/plain";
        context.Response.Headers["X-Content-Length"] = ranges.Sum(r => r.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.StartAsync(cancel.Token).ConfigureAwait(false);
        try
        {
            foreach (var (cid, offset, length) in ranges)
            {
                await foreach (var chunk in reader.ReadAsync(cid, offset, length, cancel.Token).ConfigureAwait(false))
                {
                    await context.Response.Body.WriteAsync(chunk, cancel.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException)
        {
            context.Abort();
        }
        return Results.Empty;
    }

    /// <summary>
    /// <c>get?arg=&lt;path&gt;</c>: the file, directory tree or symlink as a tar stream, as kubo
    /// sends it (entries named from the last path segment, or the CID). File bodies stream from
    /// the reader; the tar writer learns each size from the UnixFS root. A failure mid-stream
    /// aborts the response, so no client mistakes a cut archive for a whole one.
    /// </summary>
    private async Task<IResult> GetAsync(HttpContext context)
    {
        var path = ApiArguments.Required(context.Request, "ipfs-path");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // Leased while read, so a GC meanwhile cannot drop blocks between fetch and send.
        using var operation = node.Repo.Blocks.BeginOperation();
        var reader = new UnixFsReader(operation.Track(node.CreateNetworkBlocks()), ReadOptions);
        var cid = await ApiPaths.ResolveAsync(reader, path, cancel.Token).ConfigureAwait(false);
        var stat = await reader.StatAsync(cid, cancel.Token).ConfigureAwait(false);
        context.Response.ContentType = "application/x-tar";
        await context.Response.StartAsync(cancel.Token).ConfigureAwait(false);
        try
        {
            var tar = new TarWriter(context.Response.Body, TarEntryFormat.Pax, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                await WriteTarAsync(tar, reader, stat, ApiPaths.NameOf(path), 0, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException)
        {
            context.Abort();
        }
        return Results.Empty;
    }

    private static async Task WriteTarAsync(TarWriter tar, UnixFsReader reader, UnixFsStat stat, string name, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxGetDepth)
        {
            throw new LimitExceededException("unixfs", "directory depth", MaxGetDepth, depth);
        }
        switch (stat.Type)
        {
            case UnixFsType.Directory or UnixFsType.HamtShard:
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name) { Mode = Mode(stat, 0b111_101_101) }, cancellationToken).ConfigureAwait(false);
                await foreach (var entry in reader.ListAsync(stat.Cid, cancellationToken).ConfigureAwait(false))
                {
                    var child = await reader.StatAsync(entry.Cid, cancellationToken).ConfigureAwait(false);
                    await WriteTarAsync(tar, reader, child, name + "/" + entry.Name, depth + 1, cancellationToken).ConfigureAwait(false);
                }
                break;
            case UnixFsType.Symlink:
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = stat.SymlinkTarget ?? "", Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute }, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var content = await reader.OpenReadAsync(stat.Cid, cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    var file = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = Mode(stat, 0b110_100_100), DataStream = content };
                    await tar.WriteEntryAsync(file, cancellationToken).ConfigureAwait(false);
                }
                break;
        }
    }

    private static UnixFileMode Mode(UnixFsStat stat, int fallback) => (UnixFileMode)((int?)stat.Mode ?? fallback) & (UnixFileMode)0b111_111_111;
}
