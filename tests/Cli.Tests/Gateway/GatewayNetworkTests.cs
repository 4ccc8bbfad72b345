using System.Diagnostics;
using System.Net;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Names;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// The gateway of node A serving what node B holds: one hop over bitswap, a 504 within the bound
/// when nobody has the content, an aborted response (never a clean short 200) when the peer
/// stops sending mid-file, and /ipns names learnt over pubsub, forged records refused.
/// </summary>
public sealed class GatewayNetworkTests : IAsyncLifetime
{
    private static readonly byte[] Content = DeterministicBytes.Generate(11, 3 * 1024 * 1024 + 500);

    private GatewayNode _a = null!;
    private GatewayNode _b = null!;

    public async Task InitializeAsync()
    {
        _a = await GatewayNode.StartAsync();
        _b = await GatewayNode.StartAsync();
        await _a.ConnectAsync(_b);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_file_one_hop_away_is_fetched_verified_and_served_whole()
    {
        var cid = await _b.AddAsync(Content);
        using var response = await _a.Http.GetAsync($"/ipfs/{cid}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.True(_a.Gateway.Metrics.NetworkFetchLatency.Count >= 4);
    }

    [Fact]
    public async Task Content_no_peer_has_is_a_504_within_the_bound()
    {
        var absent = Cid.Compute(Multicodec.Raw, "no peer has these bytes"u8);
        var clock = Stopwatch.StartNew();
        using var response = await _a.Http.GetAsync($"/ipfs/{absent}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        // Bounded by FetchTimeout (3 s) and BlockTimeout (2 s), with room for a loaded machine.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.Equal(1, _a.Gateway.Metrics.FetchTimeouts.Value);
    }

    [Fact]
    public async Task A_peer_that_stops_sending_mid_file_gets_the_response_aborted()
    {
        var cid = await _b.AddAsync(Content);
        var file = Overlay.Manifest.DagPb.DagPb.Decode((await _b.Node.LocalBlocks.GetAsync(cid))!.Value.Span);
        // B never sends the third leaf: it does not have it any more.
        await _b.Node.Repo.Blocks.DeleteAsync(file.Links[2].Hash);

        using var response = await _a.Http.GetAsync($"/ipfs/{cid}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        var body = await response.Content.ReadAsStreamAsync();
        var received = 0L;
        var buffer = new byte[64 * 1024];
        var failure = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        Assert.True(failure is HttpRequestException or IOException, $"expected a broken body, got {failure?.GetType().Name ?? "a clean end"} after {received} bytes");
        Assert.True(received < Content.Length);
        Assert.Equal(1, _a.Gateway.Metrics.AbortedResponses.Value);
    }

    [Fact]
    public async Task An_ipns_name_published_on_B_resolves_on_A_and_forged_records_are_refused()
    {
        var cid = await _b.AddAsync("named content\n");
        var key = Ed25519PrivateKey.Generate();
        var name = key.PeerId;
        _b.Node.Names.Publish(key, "/ipfs/" + cid);

        using var response = await _a.Http.GetAsync($"/ipns/{name.ToBase36Name()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("named content\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
        Assert.Equal($"/ipns/{name.ToBase36Name()}", response.Headers.GetValues("X-Ipfs-Path").Single());
        using (var byPeerId = await _a.Http.GetAsync($"/ipns/{name}"))
        {
            Assert.Equal("named content\n", await byPeerId.Content.ReadAsStringAsync());
        }

        // A record for the name signed by another key, and one over the 10 KiB cap, sent on the
        // name's topic by B: A refuses both and keeps resolving to the real one.
        var forger = Ed25519PrivateKey.Generate();
        var forged = IpnsRecord.Create(forger, "/ipfs/" + await _b.AddAsync("forged\n"), 99, DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        var topic = IpnsTopic.For(name);
        _b.Node.PubSub.Publish(topic, forged.Bytes);
        _b.Node.PubSub.Publish(topic, new byte[IpnsRecord.MaxSize + 1]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_a.Node.Names.RecordsRejected < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"A rejected {_a.Node.Names.RecordsRejected} records");
            await Task.Delay(50);
        }
        Assert.Equal("/ipfs/" + cid, _a.Node.Names.Get(name)!.Value);

        // A newer record from the key's holder moves the name.
        var next = await _b.AddAsync("next version\n");
        _b.Node.Names.Publish(key, "/ipfs/" + next);
        while (_a.Node.Names.Get(name)!.Value != "/ipfs/" + next)
        {
            Assert.True(DateTime.UtcNow < deadline, "the newer record did not arrive");
            await Task.Delay(50);
        }
        Assert.Equal(1UL, _a.Node.Names.Get(name)!.Sequence);
        using var unknown = await _a.Http.GetAsync($"/ipns/{Ed25519PrivateKey.Generate().PeerId.ToBase36Name()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
