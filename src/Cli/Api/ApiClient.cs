using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overlay.Gateway;
using Overlay.Repo;

namespace Overlay.Cli.Api;

/// <summary>
/// Talks to the running daemon's admin API, found through the repo's api file (kubo's way):
/// <c>POST /api/v0/&lt;command&gt;?arg=…</c>, JSON back. A missing api file, or one left by a
/// daemon that died (nobody accepts the connection), both mean "no daemon running".
/// </summary>
internal sealed class ApiClient : IDisposable
{
    public const string NoDaemonMessage = "no daemon running: start `overlay daemon`";

    /// <summary>The daemon is on this machine: if it does not accept within this, it is not there.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A non-streaming command answers within this (a dial is bounded by 10 s plus 10 s for its handshake).</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;

    private ApiClient(Uri baseAddress)
    {
        // No proxy: an HTTP_PROXY from the environment must never see the admin API's traffic.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>A client for the daemon named in the repo's api file, or null when there is no such file.</summary>
    public static ApiClient? TryCreate(string repoPath)
    {
        var address = ApiFile.TryRead(repoPath);
        if (address is null)
        {
            return null;
        }
        var endpoint = address.ToTcpEndPoint()
            ?? throw new CliException($"{ApiFile.PathIn(repoPath)} holds {address}, which is not an /ip4 or /ip6 TCP address");
        var host = endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return new ApiClient(new Uri($"http://{host}:{endpoint.Port}/"));
    }

    /// <summary>A client for the running daemon; without an api file, the one-line "no daemon running" error.</summary>
    public static ApiClient Create(string repoPath) => TryCreate(repoPath) ?? throw new CliException(NoDaemonMessage);

    /// <summary>Runs <paramref name="command"/>; "no daemon running" when nobody answers.</summary>
    public async Task<T> PostAsync<T>(string command, IEnumerable<KeyValuePair<string, string>> query, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await TryPostAsync(command, query, type, cancellationToken).ConfigureAwait(false) is { } answer
            ? answer.Value
            : throw new CliException(NoDaemonMessage);

    /// <summary>Runs a command that answers with an empty body (kubo's <c>shutdown</c>).</summary>
    public async Task PostAsync(string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        using var response = await SendAsync(command, [], null, timeout.Token).ConfigureAwait(false)
            ?? throw new CliException(NoDaemonMessage);
    }

    /// <summary>Runs <paramref name="command"/>; null (not an error) when no daemon answers at the api file's address.</summary>
    public async Task<Answer<T>?> TryPostAsync<T>(string command, IEnumerable<KeyValuePair<string, string>> query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        using var response = await SendAsync(command, query, null, timeout.Token).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }
        try
        {
            var value = await response.Content.ReadFromJsonAsync(type, timeout.Token).ConfigureAwait(false)
                ?? throw new CliException($"the daemon answered {command} with null");
            return new Answer<T>(value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the daemon did not answer {command} within {CommandTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Runs a command that streams one JSON value per line (kubo's chunked output), yielding each as it arrives.</summary>
    public async IAsyncEnumerable<T> PostStreamAsync<T>(string command, IEnumerable<KeyValuePair<string, string>> query, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(command, query, null, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(NoDaemonMessage);
        await foreach (var value in ReadLinesAsync(response, command, type, cancellationToken).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    /// <summary>
    /// Sends <paramref name="content"/> (if any) to <paramref name="command"/> and hands back the
    /// successful response unread, for answers that are bytes (cat, get, block/get) or long
    /// streams; null when no daemon answers at the api file's address, so the caller can work
    /// offline instead. The daemon's refusal is a <see cref="CliException"/> with its message.
    /// </summary>
    public Task<HttpResponseMessage?> TrySendAsync(string command, IEnumerable<KeyValuePair<string, string>> query, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(command, query, content, cancellationToken);

    /// <summary>
    /// Copies the bytes <paramref name="command"/> answers to <paramref name="output"/> as they
    /// come, and flushes it; false (nothing written) when no daemon runs for the repo. A body the
    /// daemon cut short (it aborts the response when content deeper down cannot be had) is a
    /// <see cref="CliException"/> saying <paramref name="cutShort"/>, never a silently short output.
    /// </summary>
    public static async Task<bool> TryCopyAsync(
        string repoPath, string command, IEnumerable<KeyValuePair<string, string>> query, Stream output, string cutShort, CancellationToken cancellationToken)
    {
        using var client = TryCreate(repoPath);
        if (client is null)
        {
            return false;
        }
        using var response = await client.SendAsync(command, query, null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    throw new CliException($"{cutShort} ({e.Message})", e);
                }
                if (read == 0)
                {
                    break;
                }
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The JSON lines of a streamed answer. A line in kubo's error shape
    /// (<c>{"Message","Code","Type":"error"}</c>, sent when a command fails after its first line)
    /// ends the stream with that message.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadLinesAsync<T>(HttpResponseMessage response, string command, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            T? value;
            try
            {
                using (var document = JsonDocument.Parse(line))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("Type", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "error"
                        && document.RootElement.TryGetProperty("Message", out var message) && message.ValueKind == JsonValueKind.String)
                    {
                        throw new CliException(message.GetString()!);
                    }
                }
                value = JsonSerializer.Deserialize(line, type);
            }
            catch (JsonException e)
            {
                throw new CliException($"the daemon's answer to {command} is not valid JSON: {e.Message}", e);
            }
            if (value is not null)
            {
                yield return value;
            }
        }
    }

    /// <summary>The response of a successful command; null when nobody listens; the daemon's own message when it refused.</summary>
    private async Task<HttpResponseMessage?> SendAsync(string command, IEnumerable<KeyValuePair<string, string>> query, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = "api/v0/" + command + QueryString(query);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return null;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
        {
            // SocketsHttpHandler's connect timeout.
            return null;
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the daemon at {_http.BaseAddress} did not answer {command}: {e.Message}", e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw new CliException(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not kubo's error shape: fall back to the status.
        }
        return $"the daemon answered {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var parts = query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)).ToArray();
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A value that came back, told apart from "nobody answered" (null) even for a null-able T.</summary>
    internal readonly record struct Answer<T>(T Value);
}
