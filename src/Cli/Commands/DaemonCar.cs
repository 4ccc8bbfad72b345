using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay car export|import</c> through the running daemon (<c>/api/v0/dag/export</c>,
/// <c>/api/v0/dag/import</c>): an export fetches the blocks the repo lacks over bitswap; an
/// import lands in the daemon's store and pins the roots there. Each returns null / false
/// (nothing done) when no daemon runs.
/// </summary>
internal static class DaemonCar
{
    /// <summary>Streams the CAR to <paramref name="output"/>; a stream the daemon cut short is an error, never a short CAR.</summary>
    public static Task<bool> TryExportAsync(string repoPath, string root, Stream output, CancellationToken cancellationToken) =>
        ApiClient.TryCopyAsync(repoPath, "dag/export", [KeyValuePair.Create("arg", root)], output,
            "the daemon cut the export short (a block of the DAG is missing or bad): the CAR written is incomplete", cancellationToken);

    /// <summary>The daemon's Root lines and its Stats line; null when no daemon runs.</summary>
    public static async Task<IReadOnlyList<DagImportLine>?> TryImportAsync(string repoPath, IReadOnlyList<Func<Stream>> inputs, bool pinRoots, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return null;
        }
        KeyValuePair<string, string>[] query = [KeyValuePair.Create("pin-roots", pinRoots ? "true" : "false"), KeyValuePair.Create("stats", "true")];
        var upload = new MultipartUpload([.. inputs.Select(open => new UploadPart("", UploadPart.FileType, open))]);
        using var response = await DaemonAdd.SendAsync(client, "dag/import", query, upload, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return upload.Started ? throw new CliException("the daemon went away during the import") : null;
        }
        var lines = new List<DagImportLine>();
        await foreach (var line in ApiClient.ReadLinesAsync(response, "dag/import", RepoPinJsonContext.Default.DagImportLine, cancellationToken).ConfigureAwait(false))
        {
            lines.Add(line);
        }
        return lines;
    }
}
