using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Overlay.Manifest.Car;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// <c>/ipfs/</c> on one node: UnixFS files (types, ranges, HEAD, 304), directories (301 to the
/// slash, index.html, listing, HAMT), and the trustless raw and CAR answers checked the way a
/// verifying client would: the bytes hash to the CID, every CAR block verifies, headers exact.
/// </summary>
public sealed class GatewayIpfsTests : IAsyncLifetime
{
    private const string Immutable = "public, max-age=29030400, immutable";
    private static readonly byte[] Big = DeterministicBytes.Generate(7, 3 * 1024 * 1024 + 12345);

    private GatewayNode _gw = null!;
    private Cid _hello = null!;
    private Cid _big = null!;
    private Cid _site = null!;
    private Cid _plain = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayNode.StartAsync();
        _hello = await _gw.AddAsync("hello, gateway\n");
        _big = await _gw.AddAsync(Big);
        var index = await _gw.AddAsync("<p>the index</p>");
        _site = await _gw.DirectoryAsync(("index.html", index), ("hello.txt", _hello));
        var png = await _gw.AddAsync([0x89, .. "PNG\r\n\x1a\n"u8, 1, 2, 3]);
        _plain = await _gw.DirectoryAsync(("big.bin", _big), ("<b>x & \"y\".txt", _hello), ("picture", png), ("site", _site));
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task A_file_answer_reads_each_of_its_blocks_from_the_repo_once()
    {
        // Size, content sniffing and body all need the root and the first leaf: one verified read each.
        var reads = _gw.Node.Repo.Blocks.Metrics.Reads;
        Assert.Equal("hello, gateway\n", await _gw.Http.GetStringAsync($"/ipfs/{_hello}"));
        Assert.Equal(1, _gw.Node.Repo.Blocks.Metrics.Reads - reads);

        reads = _gw.Node.Repo.Blocks.Metrics.Reads;
        Assert.Equal(Big, await _gw.Http.GetByteArrayAsync($"/ipfs/{_big}"));
        Assert.Equal(1 + 4, _gw.Node.Repo.Blocks.Metrics.Reads - reads); // the root and four 1 MiB leaves
    }

    [Fact]
    public async Task A_file_by_path_has_its_bytes_type_length_and_the_spec_headers()
    {
        using var response = await _gw.Http.GetAsync($"/ipfs/{_site}/hello.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello, gateway\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(15, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{_hello}\"", response.Headers.ETag!.ToString());
        Assert.Equal(Immutable, response.Headers.CacheControl!.ToString().Replace(", ", ",", StringComparison.Ordinal).Replace(",", ", ", StringComparison.Ordinal));
        Assert.Equal($"/ipfs/{_site}/hello.txt", response.Headers.GetValues("X-Ipfs-Path").Single());
        Assert.Equal($"{_site},{_hello}", response.Headers.GetValues("X-Ipfs-Roots").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task Types_come_from_the_extension_then_from_sniffing()
    {
        using var png = await _gw.Http.GetAsync($"/ipfs/{_plain}/picture");
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        using var html = await _gw.Http.GetAsync($"/ipfs/{_site}/index.html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        using var binary = await _gw.Http.GetAsync($"/ipfs/{_big}");
        Assert.Equal("application/octet-stream", binary.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Big, await binary.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ranges_answer_206_with_the_exact_slice_and_416_past_the_end()
    {
        // Across the first 1 MiB leaf boundary.
        var (from, to) = (1024L * 1024 - 100, 1024L * 1024 + 99);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}") { Headers = { Range = new RangeHeaderValue(from, to) } };
        using var partial = await _gw.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(Big[(int)from..(int)(to + 1)], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes {from}-{to}/{Big.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(200, partial.Content.Headers.ContentLength);

        using var suffixRequest = new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}") { Headers = { Range = new RangeHeaderValue(null, 10) } };
        using var suffix = await _gw.Http.SendAsync(suffixRequest);
        Assert.Equal(Big[^10..], await suffix.Content.ReadAsByteArrayAsync());

        using var pastRequest = new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}") { Headers = { Range = new RangeHeaderValue(Big.Length, null) } };
        using var past = await _gw.Http.SendAsync(pastRequest);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal($"bytes */{Big.Length}", past.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Head_has_the_headers_and_no_body_and_a_matching_etag_answers_304()
    {
        using var head = await _gw.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/ipfs/{_big}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Big.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        foreach (var (query, etag) in new[] { ("", $"\"{_big}\""), ("?format=raw", $"\"{_big}.raw\""), ("?format=car", $"W/\"{_big}.car.all\"") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}{query}");
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var cached = await _gw.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
            Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, cached.Headers.ETag!.ToString());
        }
    }

    [Fact]
    public async Task A_directory_redirects_to_its_slash_then_serves_its_index_or_an_escaped_listing()
    {
        var raw = await _gw.SendRawAsync($"/ipfs/{_plain}/site?x=1");
        Assert.Equal(301, raw.Status);
        Assert.Equal($"/ipfs/{_plain}/site/?x=1", raw.Headers["location"]);

        using var index = await _gw.Http.GetAsync($"/ipfs/{_plain}/site/");
        Assert.Equal("<p>the index</p>", await index.Content.ReadAsStringAsync());
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);

        using var listing = await _gw.Http.GetAsync($"/ipfs/{_plain}/");
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        var page = await listing.Content.ReadAsStringAsync();
        Assert.Contains("big.bin", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x &amp; &quot;y&quot;.txt", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x", page, StringComparison.Ordinal);
        Assert.StartsWith("W/\"DirIndex", listing.Headers.ETag!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sharded_directory_resolves_its_entries()
    {
        var importer = new UnixFsImporter(_gw.Node.LocalBlocks, new UnixFsImportOptions { ShardThresholdBytes = 64 });
        var entries = Enumerable.Range(0, 300).Select(i => new UnixFsDirectoryEntry($"file-{i:D3}.txt", _hello, 15)).ToArray();
        var sharded = (await importer.PutDirectoryAsync(entries)).Cid;
        // A HAMT names its links with a two-hex-digit bucket before the entry name.
        var root = Overlay.Manifest.DagPb.DagPb.Decode((await _gw.Node.LocalBlocks.GetAsync(sharded))!.Value.Span);
        Assert.DoesNotContain(root.Links, l => l.Name == "file-000.txt");
        using var response = await _gw.Http.GetAsync($"/ipfs/{sharded}/file-123.txt");
        Assert.Equal("hello, gateway\n", await response.Content.ReadAsStringAsync());
        using var missing = await _gw.Http.GetAsync($"/ipfs/{sharded}/file-999.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var listing = await _gw.Http.GetAsync($"/ipfs/{sharded}/");
        Assert.Equal(300, System.Text.RegularExpressions.Regex.Count(await listing.Content.ReadAsStringAsync(), "file-\\d{3}\\.txt</a>"));
    }

    [Fact]
    public async Task Raw_answers_are_the_block_itself_by_query_or_accept()
    {
        foreach (var ask in new Func<HttpRequestMessage>[]
        {
            () => new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}?format=raw"),
            () => new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_big}") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/vnd.ipld.raw") } } },
        })
        {
            using var response = await _gw.Http.SendAsync(ask());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(_big.Matches(body));
            Assert.Equal("application/vnd.ipld.raw", response.Content.Headers.ContentType!.ToString());
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.Equal($"\"{_big}.raw\"", response.Headers.ETag!.ToString());
            Assert.Equal(Immutable, string.Join(", ", response.Headers.CacheControl!.ToString().Split(',').Select(p => p.Trim())));
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal($"{_big}.bin", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        }
        // A path's terminal block, not its root.
        using var leaf = await _gw.Http.GetAsync($"/ipfs/{_site}/hello.txt?format=raw");
        Assert.True(_hello.Matches(await leaf.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_car_holds_the_path_then_the_whole_dag_each_block_once_and_verifiable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ipfs/{_plain}/big.bin") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/vnd.ipld.car") } } };
        using var response = await _gw.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.ipld.car; version=1; order=dfs; dups=n", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"W/\"{_big}.car.all\"", response.Headers.ETag!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var (roots, blocks) = await ReadCarAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal([_plain], roots);
        // Directory, file root, then its four leaves (3 MiB + a bit in 1 MiB chunks), in DFS order.
        Assert.Equal(6, blocks.Count);
        Assert.Equal(_plain, blocks[0].Cid);
        Assert.Equal(_big, blocks[1].Cid);
        Assert.Equal(blocks.Count, blocks.Select(b => b.Cid).Distinct().Count());
        Assert.Equal(Big, blocks.Skip(2).SelectMany(b => b.Data.ToArray()).ToArray());
    }

    [Fact]
    public async Task Dag_scope_block_and_entity_bytes_send_only_what_they_cover()
    {
        using var block = await _gw.Http.GetAsync($"/ipfs/{_plain}/big.bin?format=car&dag-scope=block");
        var (_, onlyPath) = await ReadCarAsync(await block.Content.ReadAsByteArrayAsync());
        Assert.Equal([_plain, _big], onlyPath.Select(b => b.Cid));

        using var range = await _gw.Http.GetAsync($"/ipfs/{_big}?format=car&entity-bytes=0:10");
        var (_, first) = await ReadCarAsync(await range.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, first.Count);
        Assert.Equal(Big[..11], first[1].Data.ToArray()[..11]);
        Assert.Equal($"W/\"{_big}.car.all.0:10\"", range.Headers.ETag!.ToString());

        using var tail = await _gw.Http.GetAsync($"/ipfs/{_big}?format=car&entity-bytes=-5:*");
        var (_, last) = await ReadCarAsync(await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal(Big[^5..], last[^1].Data.ToArray()[^5..]);

        using var badScope = await _gw.Http.GetAsync($"/ipfs/{_big}?format=car&dag-scope=everything");
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
        using var badFormat = await _gw.Http.GetAsync($"/ipfs/{_big}?format=zip");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
    }

    [Fact]
    public async Task A_dag_cbor_block_is_served_as_stored()
    {
        var bytes = DagCbor.Encode(IpldMap.Of(("hello", "world"), ("link", new IpldLink(_hello))));
        var cid = Cid.Compute(Multicodec.DagCbor, bytes);
        await _gw.Node.LocalBlocks.PutAsync(cid, bytes);
        using var response = await _gw.Http.GetAsync($"/ipfs/{cid}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.ipld.dag-cbor", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        using var car = await _gw.Http.GetAsync($"/ipfs/{cid}?format=car");
        var (_, blocks) = await ReadCarAsync(await car.Content.ReadAsByteArrayAsync());
        Assert.Equal([cid, _hello], blocks.Select(b => b.Cid));
        using var json = await _gw.Http.GetAsync($"/ipfs/{cid}?format=dag-json");
        Assert.Equal(HttpStatusCode.NotAcceptable, json.StatusCode);
    }

    [Fact]
    public async Task Content_nobody_has_is_a_504_at_once_without_peers()
    {
        var absent = Cid.Compute(Multicodec.Raw, Encoding.UTF8.GetBytes("nobody has this"));
        var started = DateTime.UtcNow;
        using var response = await _gw.Http.GetAsync($"/ipfs/{absent}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        using var path = await _gw.Http.GetAsync($"/ipfs/{_plain}/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
    }

    /// <summary>Reads a CAR as a verifying client does: every block must hash to its CID.</summary>
    internal static async Task<(IReadOnlyList<Cid> Roots, List<CarBlock> Blocks)> ReadCarAsync(byte[] car)
    {
        var reader = await CarReader.OpenAsync(new MemoryStream(car));
        var blocks = new List<CarBlock>();
        await foreach (var block in reader.ReadBlocksAsync())
        {
            Assert.True(block.Cid.Matches(block.Data.Span), $"block {block.Cid} does not verify");
            blocks.Add(new CarBlock(block.Cid, block.Data.ToArray()));
        }
        return (reader.Roots, blocks);
    }
}
