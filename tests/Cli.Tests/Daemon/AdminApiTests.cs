using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// The admin API over raw HTTP: kubo's routes and error bodies, and the rules that keep browsers
/// out (POST only, same-origin Origin/Referer, loopback Host). Also that the gateway's port
/// never serves it.
/// </summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _http.Dispose();
        _cli.Dispose();
    }

    private string Api => $"http://127.0.0.1:{_daemon.ApiEndPoint.Port}";

    private string Gateway => $"http://127.0.0.1:{_daemon.GatewayEndPoint.Port}";

    [Fact]
    public async Task Post_id_and_version_answer_kubo_shaped_json()
    {
        using var id = await SendAsync(HttpMethod.Post, "/api/v0/id");
        Assert.Equal(HttpStatusCode.OK, id.Status);
        Assert.Equal("application/json", id.ContentType);
        Assert.Equal(_daemon.PeerId, id.Json.GetProperty("ID").GetString());
        Assert.Equal(_daemon.SwarmAddress.ToString(), id.Json.GetProperty("Addresses")[0].GetString());
        Assert.StartsWith("overlay/", id.Json.GetProperty("AgentVersion").GetString(), StringComparison.Ordinal);

        using var version = await SendAsync(HttpMethod.Post, "/api/v0/version");
        Assert.Equal(CliContext.Version, version.Json.GetProperty("Version").GetString());
        Assert.Equal("1", version.Json.GetProperty("Repo").GetString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_than_POST_get_405_with_Allow_POST(string method)
    {
        using var answer = await SendAsync(new HttpMethod(method), "/api/v0/id");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal(["POST"], answer.Allow);
        AssertKuboError(answer, 1, "takes POST only");
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://127.0.0.1")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    public async Task A_foreign_Origin_is_refused_with_403(string origin)
    {
        using var answer = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        AssertKuboError(answer, 1, "is not allowed");
    }

    [Fact]
    public async Task The_APIs_own_origin_and_referer_are_allowed_and_a_foreign_referer_is_not()
    {
        var port = _daemon.ApiEndPoint.Port;
        using (var own = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Add("Origin", $"http://127.0.0.1:{port}")))
        {
            Assert.Equal(HttpStatusCode.OK, own.Status);
        }
        using (var localhost = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Add("Origin", $"http://localhost:{port}")))
        {
            Assert.Equal(HttpStatusCode.OK, localhost.Status);
        }
        using (var ownReferer = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Referrer = new Uri($"http://127.0.0.1:{port}/webui")))
        {
            Assert.Equal(HttpStatusCode.OK, ownReferer.Status);
        }
        using var foreign = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Referrer = new Uri("http://evil.example/page"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
        AssertKuboError(foreign, 1, "referer");
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebind.attacker.test:7779")]
    [InlineData("192.0.2.1")]
    public async Task A_Host_that_is_not_loopback_is_refused_with_403(string host)
    {
        using var answer = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Host = host);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        AssertKuboError(answer, 1, "is not a loopback name");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:1234")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:7779")]
    public async Task Loopback_Host_names_are_allowed(string host)
    {
        using var answer = await SendAsync(HttpMethod.Post, "/api/v0/id", r => r.Headers.Host = host);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Bad_requests_get_400_and_failures_500_in_kubos_error_shape()
    {
        using (var unknown = await SendAsync(HttpMethod.Post, "/api/v0/no/such/command"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
            AssertKuboError(unknown, 1, "unknown command");
        }
        using (var missing = await SendAsync(HttpMethod.Post, "/api/v0/swarm/connect"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
            AssertKuboError(missing, 1, "argument \"address\" is required");
        }
        using (var malformed = await SendAsync(HttpMethod.Post, "/api/v0/swarm/connect?arg=/ip4/nope"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
            AssertKuboError(malformed, 1, "invalid multiaddr");
        }
        using (var count = await SendAsync(HttpMethod.Post, $"/api/v0/ping?arg={_daemon.PeerId}&count=lots"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, count.Status);
            AssertKuboError(count, 1, "option \"count\" must be a whole number");
        }
        var closed = DaemonTests.FreePorts(1)[0];
        using var unreachable = await SendAsync(HttpMethod.Post, $"/api/v0/swarm/connect?arg=/ip4/127.0.0.1/tcp/{closed}");
        Assert.Equal(HttpStatusCode.InternalServerError, unreachable.Status);
        AssertKuboError(unreachable, 0, "failure");
    }

    [Fact]
    public async Task The_gateway_serves_health_and_never_the_admin_routes()
    {
        using (var health = await SendAsync(HttpMethod.Get, "/health", baseAddress: Gateway))
        {
            Assert.Equal(HttpStatusCode.OK, health.Status);
            Assert.Equal("ok", health.Json.GetProperty("Status").GetString());
            Assert.Equal(_daemon.PeerId, health.Json.GetProperty("ID").GetString());
        }
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get })
        {
            using var admin = await SendAsync(method, "/api/v0/id", baseAddress: Gateway);
            Assert.Equal(HttpStatusCode.NotFound, admin.Status);
            using var shutdown = await SendAsync(method, "/api/v0/shutdown", baseAddress: Gateway);
            Assert.Equal(HttpStatusCode.NotFound, shutdown.Status);
        }
        Assert.False(_daemon.Exit.IsCompleted);
        // And the API port has no /health: each listener serves only its own routes.
        using var apiHealth = await SendAsync(HttpMethod.Post, "/health");
        Assert.Equal(HttpStatusCode.NotFound, apiHealth.Status);
    }

    private static void AssertKuboError(Answer answer, int code, string contains)
    {
        Assert.Equal("error", answer.Json.GetProperty("Type").GetString());
        Assert.Equal(code, answer.Json.GetProperty("Code").GetInt32());
        Assert.Contains(contains, answer.Json.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    private async Task<Answer> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? change = null, string? baseAddress = null)
    {
        using var request = new HttpRequestMessage(method, (baseAddress ?? Api) + path);
        change?.Invoke(request);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new Answer(response.StatusCode, response.Content.Headers.ContentType, response.Content.Headers.Allow.ToArray(), body);
    }

    private sealed class Answer(HttpStatusCode status, MediaTypeHeaderValue? contentType, string[] allow, byte[] body) : IDisposable
    {
        private JsonDocument? _json;

        public HttpStatusCode Status => status;

        public string? ContentType => contentType?.MediaType;

        public string[] Allow => allow;

        public JsonElement Json => (_json ??= JsonDocument.Parse(body)).RootElement;

        public void Dispose() => _json?.Dispose();
    }
}
