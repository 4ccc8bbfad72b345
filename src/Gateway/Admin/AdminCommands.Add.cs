// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-add
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>The only chunker of the unixfs-v1-2025 profile, in kubo's spelling.</summary>
    private static readonly string ProfileChunker = $"size-{UnixFsImportOptions.ProfileChunkSize}";

    /// <summary>
    /// <c>add</c>: imports the multipart upload (files, <c>application/x-directory</c> parts,
    /// <c>application/symlink</c> parts, named by their paths) as UnixFS under the unixfs-v1-2025
    /// profile, streaming each file part into the importer, and answers one
    /// <c>{"Name","Hash","Size"}</c> line per entry as it completes, children first.
    /// <c>only-hash</c> stores nothing; <c>wrap-with-directory</c> adds a directory around the
    /// top-level entries; <c>pin</c> (default true) pins the roots recursively. kubo's <c>cid-version</c>, <c>raw-leaves</c> and <c>chunker</c> are
    /// accepted when they name the profile's values (CIDv1, raw leaves, 1 MiB chunks).
    /// </summary>
    private Task<IResult> AddAsync(HttpContext context) => StreamLinesAsync(context, () => AddEntriesAsync(context));

    private async Task AddEntriesAsync(HttpContext context)
    {
        var request = context.Request;
        var onlyHash = ApiOptions.Boolean(request, false, "only-hash", "n");
        var wrap = ApiOptions.Boolean(request, false, "wrap-with-directory", "w");
        var pin = ApiOptions.Boolean(request, true, "pin");
        CheckProfile(request);
        var reader = ApiMultipart.Open(context, maxBodySize: null);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // Every block the add writes or reuses is leased until the roots are pinned, so a GC or
        // quota eviction running meanwhile cannot take part of the DAG (specs/repo.md).
        using var operation = node.Repo.Blocks.BeginOperation();
        IBlockStore store = onlyHash ? new DiscardingBlockStore() : operation.Track(node.LocalBlocks);
        var importer = new UnixFsImporter(store, UnixFsImportOptions.Default);
        var body = context.Response.Body;
        var started = false;
        async Task AddedAsync(string name, UnixFsImportResult result)
        {
            if (!started)
            {
                started = true;
                context.Response.ContentType = "application/json";
            }
            var line = new AddedEntry(name, result.Cid.ToString(), result.DagSize.ToString(CultureInfo.InvariantCulture));
            await WriteJsonLineAsync(body, line, ApiJsonContext.Default.AddedEntry, cancel.Token).ConfigureAwait(false);
        }
        var tree = new AddTree(importer, AddedAsync);
        var parts = 0;
        while (await ApiMultipart.NextAsync(reader, cancel.Token).ConfigureAwait(false) is { } section)
        {
            parts++;
            var name = ApiMultipart.FileName(section).Trim('/');
            switch (ApiMultipart.ContentType(section))
            {
                case ApiMultipart.DirectoryType:
                    await tree.AddDirectoryAsync(name, cancel.Token).ConfigureAwait(false);
                    break;
                case ApiMultipart.SymlinkType:
                    var target = await ApiMultipart.ReadAllAsync(new MultipartBodyStream(section.Body), MaxSymlinkTarget,
                        () => new ApiArgumentException($"symlink \"{name}\" has a target over {MaxSymlinkTarget} bytes"), cancel.Token).ConfigureAwait(false);
                    await tree.AddSymlinkAsync(name, System.Text.Encoding.UTF8.GetString(target), cancel.Token).ConfigureAwait(false);
                    break;
                default:
                    await tree.AddFileAsync(name, new MultipartBodyStream(section.Body), cancel.Token).ConfigureAwait(false);
                    break;
            }
        }
        if (parts == 0)
        {
            throw new ApiArgumentException("argument \"path\" is required: send the files as multipart parts");
        }
        await tree.FinishAsync(cancel.Token).ConfigureAwait(false);
        IReadOnlyList<Manifest.Multiformats.Cid> roots = tree.Top.Select(e => e.Cid).ToArray();
        if (wrap)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in tree.Top.Where(e => !names.Add(e.Name)))
            {
                throw new ApiArgumentException($"cannot wrap two items named \"{entry.Name}\" in one directory");
            }
            var wrapper = await importer.PutDirectoryAsync(tree.Top, cancel.Token).ConfigureAwait(false);
            await AddedAsync("", wrapper).ConfigureAwait(false);
            roots = [wrapper.Cid];
        }
        // As kubo (and our offline add): each top-level entry, or the wrapper, pinned recursively.
        foreach (var root in onlyHash || !pin ? [] : roots)
        {
            await node.Repo.Pins.AddAsync(root, recursive: true, store, cancel.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Linux caps a symlink target at 4 KiB (PATH_MAX).</summary>
    private const int MaxSymlinkTarget = 4096;

    private static void CheckProfile(HttpRequest request)
    {
        var version = ApiOptions.Text(request, "cid-version");
        var rawLeaves = ApiOptions.Text(request, "raw-leaves");
        var chunker = ApiOptions.Text(request, "chunker", "s");
        if (version is not null and not "1" || rawLeaves is not null and not "true" and not "" || chunker is not null && chunker != ProfileChunker)
        {
            throw new ApiArgumentException($"this node adds with the unixfs-v1-2025 profile only: cid-version=1, raw-leaves=true, chunker={ProfileChunker}");
        }
    }
}
