using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Overlay.Cli.Api;
using Overlay.Gateway;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay add</c> through the running daemon (kubo's way when a daemon runs): the inputs are
/// walked here, as the offline add walks them (ordinal order, hidden entries skipped unless
/// asked, symlinks inside directories kept as symlinks), and streamed to <c>/api/v0/add</c> as
/// multipart parts; the daemon imports them, so the blocks land in its store and are served to
/// peers at once, and answers a line per entry, printed here in the offline add's forms.
/// </summary>
internal static class DaemonAdd
{
    /// <summary>The options <c>add</c> was given, as the daemon path needs them.</summary>
    internal sealed record Request(IReadOnlyList<string> Inputs, bool OnlyHash, bool Wrap, bool IncludeHidden, bool Quiet, bool Quieter, bool Json, bool Progress, bool Pin);

    /// <summary>Adds through the daemon; false (nothing done) when no daemon runs, so the caller adds offline.</summary>
    public static async Task<bool> TryRunAsync(CliContext context, string repoPath, Request request, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return false;
        }
        var query = new List<KeyValuePair<string, string>>();
        if (request.OnlyHash)
        {
            query.Add(KeyValuePair.Create("only-hash", "true"));
        }
        if (request.Wrap)
        {
            query.Add(KeyValuePair.Create("wrap-with-directory", "true"));
        }
        query.Add(KeyValuePair.Create("pin", request.Pin ? "true" : "false"));
        foreach (var input in request.Inputs.Where(i => !InputSource.IsStdin(i) && !File.Exists(i) && !Directory.Exists(i)))
        {
            throw new CliException($"cannot add {input}: no such file or directory");
        }
        // The upload (which draws the progress line) and the answer (which prints the added
        // lines) run at once; one lock keeps their writes to the terminal apart.
        using var meter = request.Progress ? new ProgressLine(context.Console.Error) : null;
        var progress = meter is null ? null : new SharedMeter(meter);
        var upload = new MultipartUpload(token => PartsAsync(context.Console, request, progress, token));
        using var response = await SendAsync(client, "add", query, upload, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return upload.Started ? throw new CliException("the daemon went away during the add") : false;
        }
        var printer = new AddedPrinter(context, request.Json, request.Quiet, request.Quieter, meter: null);
        await foreach (var entry in ApiClient.ReadLinesAsync(response, "add", ApiJsonContext.Default.AddedEntry, cancellationToken).ConfigureAwait(false))
        {
            var cid = Cid.Parse(entry.Hash);
            var size = ulong.Parse(entry.Size, NumberStyles.None, CultureInfo.InvariantCulture);
            progress?.Run(m => m.Clear());
            printer.Added(cid, entry.Name, size);
        }
        progress?.Run(m => m.Clear());
        printer.Finish();
        return true;
    }

    /// <summary>The progress line, drawn and cleared under one lock.</summary>
    private sealed class SharedMeter(ProgressLine meter)
    {
        private readonly Lock _gate = new();

        public void Run(Action<ProgressLine> action)
        {
            lock (_gate)
            {
                action(meter);
            }
        }

        public Stream Track(string name, Stream stream, long? length)
        {
            Run(m => m.Start(name, length));
            return new ProgressReadStream(stream, read => Run(m => m.Report(read)));
        }
    }

    /// <summary>Sends an upload; a failure reading our own input is reported as itself, not as the daemon's.</summary>
    internal static async Task<HttpResponseMessage?> SendAsync(ApiClient client, string command, IEnumerable<KeyValuePair<string, string>> query, MultipartUpload upload, CancellationToken cancellationToken)
    {
        try
        {
            return await client.TrySendAsync(command, query, upload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (upload.SourceError is { } source)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(source);
            throw;
        }
    }

    private static async IAsyncEnumerable<UploadPart> PartsAsync(CliConsole console, Request request, SharedMeter? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var input in request.Inputs)
        {
            if (InputSource.IsStdin(input))
            {
                // No name: the daemon names stdin by its CID, as the offline add does.
                yield return new UploadPart("", UploadPart.FileType, () => Track(progress, "stdin", InputSource.Open(console, input), null));
                continue;
            }
            var full = Path.GetFullPath(input);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
            if (string.IsNullOrEmpty(name))
            {
                throw new CliException($"cannot add {input}: it has no name to give it (a file system root)");
            }
            if (!Directory.Exists(full))
            {
                yield return FilePart(name, full, progress);
                continue;
            }
            await foreach (var part in DirectoryPartsAsync(new DirectoryInfo(full), name, request.IncludeHidden, progress, cancellationToken).ConfigureAwait(false))
            {
                yield return part;
            }
        }
    }

    private static async IAsyncEnumerable<UploadPart> DirectoryPartsAsync(DirectoryInfo directory, string name, bool includeHidden, SharedMeter? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new UploadPart(name, UploadPart.DirectoryType, null);
        foreach (var info in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!includeHidden && info.Name.StartsWith('.'))
            {
                continue;
            }
            var childName = name + "/" + info.Name;
            if (info.LinkTarget is { } target)
            {
                yield return new UploadPart(childName, UploadPart.SymlinkType, () => new MemoryStream(Encoding.UTF8.GetBytes(target)));
            }
            else if (info is DirectoryInfo subdirectory)
            {
                await foreach (var part in DirectoryPartsAsync(subdirectory, childName, includeHidden, progress, cancellationToken).ConfigureAwait(false))
                {
                    yield return part;
                }
            }
            else
            {
                yield return FilePart(childName, info.FullName, progress);
            }
        }
    }

    private static UploadPart FilePart(string name, string path, SharedMeter? progress) =>
        new(name, UploadPart.FileType, () =>
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Track(progress, name, file, file.Length);
        });

    private static Stream Track(SharedMeter? progress, string name, Stream stream, long? length) =>
        progress is null ? stream : progress.Track(name, stream, length);
}
