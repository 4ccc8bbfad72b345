using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>The gateway's face: the Host-header check, /metrics as Prometheus text whose counters move, /peers, and no admin routes.</summary>
public sealed partial class GatewayEdgeTests : IAsyncLifetime
{
    private GatewayNode _gw = null!;

    public async Task InitializeAsync() => _gw = await GatewayNode.StartAsync();

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task Only_loopback_host_names_with_our_port_are_answered()
    {
        var cid = await _gw.AddAsync("host check\n");
        var target = $"/ipfs/{cid}";
        foreach (var host in new[] { $"127.0.0.1:{_gw.Port}", $"localhost:{_gw.Port}", $"[::1]:{_gw.Port}", "localhost", "127.0.0.1", "LOCALHOST" })
        {
            Assert.Equal(200, (await _gw.SendRawAsync(target, host)).Status);
        }
        foreach (var host in new[] { "evil.example", $"evil.example:{_gw.Port}", $"127.0.0.1:{_gw.Port + 1}", "127.0.0.1.evil.example", "10.0.0.1", $"0.0.0.0:{_gw.Port}", "localhost.", "[::2]" })
        {
            var refused = await _gw.SendRawAsync(target, host);
            Assert.True(refused.Status == 400, $"Host {host} -> {refused.Status}");
            Assert.DoesNotContain("host check", System.Text.Encoding.UTF8.GetString(refused.Body), StringComparison.Ordinal);
        }
        Assert.Equal(400, (await _gw.SendRawAsync("/health", "rebound.example")).Status);
    }

    [Fact]
    public async Task The_admin_api_is_not_reachable_on_the_gateway_port()
    {
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get })
        {
            foreach (var command in new[] { "/api/v0/id", "/api/v0/shutdown", "/api/v0/name/publish?arg=x", "/api/v0/add" })
            {
                using var response = await _gw.Http.SendAsync(new HttpRequestMessage(method, command));
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {command} -> {response.StatusCode}");
            }
        }
        using var post = await _gw.Http.PostAsync("/ipfs/bafkqaaa", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_counters_move()
    {
        var before = await ScrapeAsync();
        var cid = await _gw.AddAsync(new byte[5000]);
        using (var response = await _gw.Http.GetAsync($"/ipfs/{cid}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var missing = await _gw.Http.GetAsync($"/ipfs/{cid}/nope"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        _gw.Gateway.Metrics.SegmentsServed.Increment();
        var after = await ScrapeAsync();
        Assert.Equal(Value(before, "overlay_gateway_responses_total{route=\"ipfs\",code=\"200\"}") + 1, after["overlay_gateway_responses_total{route=\"ipfs\",code=\"200\"}"]);
        Assert.Equal(1, after["overlay_gateway_responses_total{route=\"ipfs\",code=\"404\"}"] - Value(before, "overlay_gateway_responses_total{route=\"ipfs\",code=\"404\"}"));
        Assert.True(after["overlay_gateway_bytes_served_total"] - before["overlay_gateway_bytes_served_total"] >= 5000);
        Assert.Equal(before["overlay_gateway_segments_served_total"] + 1, after["overlay_gateway_segments_served_total"]);
        Assert.True(after["overlay_gateway_block_fetch_seconds_count{source=\"local\"}"] > before["overlay_gateway_block_fetch_seconds_count{source=\"local\"}"]);
        Assert.True(after["overlay_blocks_verified_total{source=\"repo\"}"] > before["overlay_blocks_verified_total{source=\"repo\"}"]);
        Assert.Equal(0, after["overlay_peers"]);
        Assert.Equal(after["overlay_gateway_block_fetch_seconds_count{source=\"local\"}"], after["overlay_gateway_block_fetch_seconds_bucket{source=\"local\",le=\"+Inf\"}"]);
    }

    [Fact]
    public async Task Peers_lists_connected_peers_with_addresses_and_protocols()
    {
        await using var other = await GatewayNode.StartAsync();
        await _gw.ConnectAsync(other);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement peer;
        while (true)
        {
            using var document = JsonDocument.Parse(await _gw.Http.GetStringAsync("/peers"));
            Assert.Equal(_gw.Node.PeerId.ToString(), document.RootElement.GetProperty("ID").GetString());
            var peers = document.RootElement.GetProperty("Peers");
            if (peers.GetArrayLength() == 1 && peers[0].GetProperty("Protocols").GetArrayLength() > 0)
            {
                peer = peers[0].Clone();
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "identify did not complete");
            await Task.Delay(100);
        }
        Assert.Equal(other.Node.PeerId.ToString(), peer.GetProperty("ID").GetString());
        Assert.Contains(peer.GetProperty("Protocols").EnumerateArray(), p => p.GetString() == "/ipfs/bitswap/1.2.0");
        Assert.Contains("/ip4/127.0.0.1/tcp/", peer.GetProperty("Connections")[0].GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, peer.GetProperty("Addresses").GetArrayLength());
    }

    private static double Value(Dictionary<string, double> samples, string key) => samples.GetValueOrDefault(key);

    /// <summary>
    /// Parses the exposition text strictly: HELP then TYPE once per family before its samples,
    /// each family's samples contiguous, histogram buckets cumulative; returns sample → value.
    /// </summary>
    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        using var response = await _gw.Http.GetAsync("/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var family = line.Split(' ')[2];
                Assert.DoesNotContain(family, types.Keys);
                if (current is not null)
                {
                    finished.Add(current);
                }
                current = family;
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(current, parts[2]);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram" });
                types[parts[2]] = parts[3];
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var name = match.Groups["name"].Value;
            var owner = types.Keys.Where(f => name == f || (types[f] == "histogram" && (name == f + "_bucket" || name == f + "_sum" || name == f + "_count"))).SingleOrDefault();
            Assert.True(owner == current, $"{name} is outside its family's block (in {current})");
            Assert.False(owner is not null && finished.Contains(owner), $"{name} comes after its family ended");
            var value = match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            var key = name + match.Groups["labels"].Value;
            Assert.True(samples.TryAdd(key, value), $"duplicate sample {key}");
        }
        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (?<value>[-+]?(?:[0-9.eE+-]+|Inf|NaN))$""")]
    private static partial Regex SampleLine();
}
