using Overlay.Cli.Api;
using Overlay.Gateway;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay block put|get|stat</c> through the running daemon (<c>/api/v0/block/…</c>): a put
/// lands in the daemon's store and is offered to peers that want it; get and stat fetch a block
/// the repo lacks over bitswap. Each returns null (nothing done) when no daemon runs.
/// </summary>
internal static class DaemonBlocks
{
    public static async Task<BlockStatResponse?> TryPutAsync(string repoPath, Func<Stream> open, string codec, string hash, bool allowBig, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return null;
        }
        KeyValuePair<string, string>[] query =
        [
            KeyValuePair.Create("cid-codec", codec),
            KeyValuePair.Create("mhtype", hash),
            KeyValuePair.Create("allow-big-block", allowBig ? "true" : "false"),
        ];
        var upload = new MultipartUpload(new UploadPart("data", UploadPart.FileType, open));
        using var response = await DaemonAdd.SendAsync(client, "block/put", query, upload, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return upload.Started ? throw new CliException("the daemon went away during the put") : null;
        }
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the block's bytes to <paramref name="output"/>; false when no daemon runs.</summary>
    public static Task<bool> TryGetAsync(string repoPath, string cid, Stream output, CancellationToken cancellationToken) =>
        ApiClient.TryCopyAsync(repoPath, "block/get", [KeyValuePair.Create("arg", cid)], output, "the daemon cut the block short", cancellationToken);

    public static async Task<BlockStatResponse?> TryStatAsync(string repoPath, string cid, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return null;
        }
        using var response = await client.TrySendAsync("block/stat", [KeyValuePair.Create("arg", cid)], null, cancellationToken).ConfigureAwait(false);
        return response is null ? null : await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BlockStatResponse> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, ApiJsonContext.Default.BlockStatResponse, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException("the daemon answered null");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"the daemon's answer is not valid JSON: {e.Message}", e);
        }
    }
}
