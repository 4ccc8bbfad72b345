using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Overlay.Gateway.Play;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// A segment response: headers, ranges, 304, and the two timeout rules: nothing sent when the
/// first block is missing (the caller answers 504), a reset when a later block is.
/// </summary>
public sealed class SegmentResponderTests
{
    /// <summary>Two and a half 1 MiB chunks: a dag-pb root over three raw leaves.</summary>
    private readonly byte[] _payload = Enumerable.Range(0, (5 * 1024 * 1024) / 2).Select(i => (byte)(i * 7)).ToArray();
    private readonly MemoryBlockStore _blocks = new();
    private readonly FaultyBlockStore _reads;

    public SegmentResponderTests() => _reads = new FaultyBlockStore(_blocks);

    private async Task<Bundle> ImportAsync()
    {
        var imported = await new UnixFsImporter(_blocks).ImportFileAsync(new MemoryStream(_payload));
        return TestBundles.Media(3, 3) with { Payload = imported.Cid, Size = _payload.Length };
    }

    private static (DefaultHttpContext Context, MemoryStream Body, Lifetime Lifetime) Request(string method = "GET", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
        var body = new MemoryStream();
        context.Response.Body = body;
        var lifetime = new Lifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        return (context, body, lifetime);
    }

    [Fact]
    public async Task A_whole_segment_is_immutable_typed_and_tagged_with_its_payload_cid()
    {
        var bundle = await ImportAsync();
        var (context, body, lifetime) = Request();
        await SegmentResponder.WriteAsync(context, _reads, bundle);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(_payload, body.ToArray());
        Assert.Equal(_payload.Length, context.Response.ContentLength);
        Assert.Equal("video/mp2t", context.Response.ContentType);
        Assert.Equal($"\"{bundle.Payload}\"", context.Response.Headers.ETag.ToString());
        Assert.Equal("public, max-age=29030400, immutable", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("bytes", context.Response.Headers.AcceptRanges.ToString());
        Assert.False(lifetime.Aborted);

        var (again, againBody, _) = Request("GET", ("If-None-Match", $"\"{bundle.Payload}\""));
        await SegmentResponder.WriteAsync(again, _reads, bundle);
        Assert.Equal(304, again.Response.StatusCode);
        Assert.Equal(0, againBody.Length);

        var (head, headBody, _) = Request("HEAD");
        await SegmentResponder.WriteAsync(head, _reads, bundle);
        Assert.Equal(_payload.Length, head.Response.ContentLength);
        Assert.Equal(0, headBody.Length);
    }

    [Theory]
    [InlineData("bytes=1048570-1048589", 1048570, 20)]
    [InlineData("bytes=2621400-", 2621400, 40)]
    [InlineData("bytes=-100", 2621340, 100)]
    [InlineData("bytes=0-99999999", 0, 2621440)]
    public async Task One_range_is_a_206_with_exactly_those_bytes(string range, int offset, int length)
    {
        var bundle = await ImportAsync();
        var (context, body, _) = Request("GET", ("Range", range));
        await SegmentResponder.WriteAsync(context, _reads, bundle);
        Assert.Equal(206, context.Response.StatusCode);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/{_payload.Length}", context.Response.Headers.ContentRange.ToString());
        Assert.Equal(_payload.AsSpan(offset, length).ToArray(), body.ToArray());
    }

    [Fact]
    public async Task A_range_past_the_end_is_416_and_an_if_range_for_other_content_gets_it_whole()
    {
        var bundle = await ImportAsync();
        var (context, body, _) = Request("GET", ("Range", $"bytes={_payload.Length}-"));
        await SegmentResponder.WriteAsync(context, _reads, bundle);
        Assert.Equal(416, context.Response.StatusCode);
        Assert.Equal($"bytes */{_payload.Length}", context.Response.Headers.ContentRange.ToString());
        Assert.Equal(0, body.Length);

        var (stale, staleBody, _) = Request("GET", ("Range", "bytes=0-9"), ("If-Range", "\"bafkreiother\""));
        await SegmentResponder.WriteAsync(stale, _reads, bundle);
        Assert.Equal(200, stale.Response.StatusCode);
        Assert.Equal(_payload.Length, staleBody.Length);
    }

    [Fact]
    public async Task Content_nobody_has_throws_before_anything_is_sent()
    {
        var bundle = await ImportAsync();
        _reads.Read = (_, _) => null;
        var (context, body, lifetime) = Request();
        await Assert.ThrowsAsync<BlockNotFoundException>(() => SegmentResponder.WriteAsync(context, _reads, bundle));
        Assert.Equal(0, body.Length);
        Assert.False(lifetime.Aborted);
    }

    [Fact]
    public async Task A_block_missing_mid_body_resets_the_connection_instead_of_ending_cleanly()
    {
        var bundle = await ImportAsync();
        var last = await LastLeafAsync(bundle.Payload);
        _reads.Read = (cid, bytes) => cid == last ? null : bytes;
        var (context, body, lifetime) = Request();
        string? reason = null;
        await SegmentResponder.WriteAsync(context, _reads, bundle, r => reason = r);
        Assert.True(lifetime.Aborted);
        Assert.Contains(last.ToString(), reason, StringComparison.Ordinal);
        Assert.True(body.Length < _payload.Length, $"{body.Length} bytes written");
        Assert.Equal(_payload.Length, context.Response.ContentLength);
    }

    [Fact]
    public async Task A_payload_shorter_than_the_bundle_signs_resets_the_connection()
    {
        var bundle = await ImportAsync() with { Size = _payload.Length + 10 };
        var (context, body, lifetime) = Request();
        await SegmentResponder.WriteAsync(context, _reads, bundle);
        Assert.True(lifetime.Aborted);
        Assert.Equal(_payload.Length, body.Length);
    }

    /// <summary>The third raw leaf: 2 MiB and up, read only after the first two have been written.</summary>
    private async Task<Cid> LastLeafAsync(Cid root)
    {
        var leaf = Cid.Compute(Multicodec.Raw, _payload.AsSpan(2 * 1024 * 1024));
        Assert.True(await _blocks.HasAsync(leaf), $"{leaf} is not a leaf of {root}");
        return leaf;
    }

    private sealed class Lifetime : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }
}
