using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay dag put|get</c> through the running daemon (<c>/api/v0/dag/put</c>,
/// <c>/api/v0/dag/get</c>): a put lands in the daemon's store; a get follows links the repo
/// lacks over bitswap. Each returns null / false (nothing done) when no daemon runs.
/// </summary>
internal static class DaemonDag
{
    /// <summary>The stored node's CID, or null when no daemon runs.</summary>
    public static async Task<string?> TryPutAsync(string repoPath, Func<Stream> open, string inputCodec, string storeCodec, bool allowBig, bool pin, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return null;
        }
        KeyValuePair<string, string>[] query =
        [
            KeyValuePair.Create("input-codec", inputCodec),
            KeyValuePair.Create("store-codec", storeCodec),
            KeyValuePair.Create("allow-big-block", allowBig ? "true" : "false"),
            KeyValuePair.Create("pin", pin ? "true" : "false"),
        ];
        var upload = new MultipartUpload(new UploadPart("", UploadPart.FileType, open));
        using var response = await DaemonAdd.SendAsync(client, "dag/put", query, upload, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return upload.Started ? throw new CliException("the daemon went away during the put") : null;
        }
        string? cid = null;
        await foreach (var line in ApiClient.ReadLinesAsync(response, "dag/put", RepoPinJsonContext.Default.DagPutResponse, cancellationToken).ConfigureAwait(false))
        {
            cid = line.Cid.Cid;
        }
        return cid ?? throw new CliException("the daemon answered dag/put without a CID");
    }

    /// <summary>Writes the node to <paramref name="output"/>; false when no daemon runs.</summary>
    public static Task<bool> TryGetAsync(string repoPath, string path, string outputCodec, Stream output, CancellationToken cancellationToken) =>
        ApiClient.TryCopyAsync(repoPath, "dag/get", [KeyValuePair.Create("arg", path), KeyValuePair.Create("output-codec", outputCodec)], output, "the daemon cut the node short", cancellationToken);
}
