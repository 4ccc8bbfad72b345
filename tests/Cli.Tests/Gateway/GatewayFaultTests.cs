using System.Net;
using System.Text.Json;
using Overlay.Cli.Tests.Daemon;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// What B's gateway does when part of a segment is nowhere: A published three 2.5 MiB segments
/// (1 MiB UnixFS chunks), B followed them, then A stopped and B lost one chunk of segment 1 and
/// the first chunk of segment 2. Segment 0 still plays whole; segment 1 starts (its first bytes
/// are here) and the connection is reset where the missing chunk was, never a clean short 200;
/// segment 2 answers 504 before anything is sent.
/// </summary>
public sealed class GatewayFaultTests : TwoDaemonsTest
{
    private const int SegmentBytes = 5 * 1024 * 1024 / 2;
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task A_chunk_missing_mid_segment_resets_the_response_and_a_missing_first_chunk_is_504()
    {
        var segments = Enumerable.Range(0, 3).Select(MpegTsLike).ToArray();
        var folder = Directory.CreateDirectory(Path.Combine(A.Home, "hls")).FullName;
        for (var i = 0; i < segments.Length; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, $"seg{i}.ts"), segments[i]);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "index.m3u8"),
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:4.0,\nseg0.ts\n#EXTINF:4.0,\nseg1.ts\n#EXTINF:4.0,\nseg2.ts\n#EXT-X-ENDLIST\n");
        (await A.RunAsync("key", "gen", "faults")).AssertSuccess();
        var publish = await A.RunAsync("publish", Path.Combine(folder, "index.m3u8"), "--key", "faults");
        Assert.True(publish.ExitCode == 0, publish.Error);
        var address = publish.Lines.Single();
        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        Assert.True((await B.RunAsync("follow", address)).ExitCode == 0);

        Assert.Equal(0, await DaemonA.StopAsync());
        // B's copy is kept by the stream retention (specs/sync.md §7), which block rm respects; the
        // lost chunks are emulated by deleting their files under the running daemon (a disk losing data).
        foreach (var lost in new[] { LeafOf(segments[1], 2), LeafOf(segments[2], 0) })
        {
            File.Delete(Path.Combine(B.RepoPath, Overlay.Repo.OverlayRepo.BlocksFolderName, Overlay.Blocks.FileBlockStore.RelativePathOf(lost.Hash)));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://{DaemonB.GatewayEndPoint}"), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(segments[0], await http.GetByteArrayAsync($"/segment/{address}/0.ts"));

        using var started = await http.GetAsync($"/segment/{address}/1.ts", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(SegmentBytes, started.Content.Headers.ContentLength);
        var body = await started.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var reset = await Record.ExceptionAsync(() => body.CopyToAsync(received));
        Assert.True(reset is HttpRequestException or IOException, $"expected a reset, got {reset?.GetType().Name ?? "a clean end"} after {received.Length} bytes");
        Assert.InRange(received.Length, 1, 2L * Chunk);
        Assert.Equal(segments[1].AsSpan(0, (int)received.Length).ToArray(), received.ToArray());

        using var missing = await http.GetAsync($"/segment/{address}/2.ts");
        Assert.Equal(HttpStatusCode.GatewayTimeout, missing.StatusCode);
    }

    /// <summary>Random bytes the importer sniffs as MPEG-TS (sync bytes at 0 and 188).</summary>
    private static byte[] MpegTsLike(int seed)
    {
        var bytes = CliHarness.RandomBytes(SegmentBytes, seed);
        bytes[0] = bytes[188] = 0x47;
        return bytes;
    }

    /// <summary>Raw leaf <paramref name="index"/> of the payload as the unixfs-v1-2025 profile cuts it.</summary>
    private static Cid LeafOf(byte[] payload, int index) =>
        Cid.Compute(Multicodec.Raw, payload.AsSpan(index * Chunk, Math.Min(Chunk, payload.Length - (index * Chunk))));
}
