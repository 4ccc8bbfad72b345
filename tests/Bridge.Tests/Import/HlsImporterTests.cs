using Overlay.Bridge.Hls;
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Tests.Import;

public sealed class HlsImporterTests
{
    private static readonly Ed25519PrivateKey Key = Ed25519PrivateKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static HlsImporter Importer(IBlockStore store, string title = "") => new(store, new HlsImportOptions { Key = Key, Title = title });

    [Fact]
    public async Task Media_playlist_of_ts_segments_becomes_a_sealed_verified_stream()
    {
        using var folder = new TempFolder();
        var segments = Enumerable.Range(0, 4).Select(i => FakeMedia.Ts(20 + i, (byte)i)).ToArray();
        for (var i = 0; i < segments.Length; i++)
        {
            folder.File($"seg{i}.ts", segments[i]);
        }
        folder.File("index.m3u8", """
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:10
            #EXT-X-DISCONTINUITY-SEQUENCE:2
            #EXTINF:4.004,
            seg0.ts
            #EXTINF:4.004,
            seg1.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:3.5,
            seg2.ts
            #EXTINF:1.25,
            seg3.ts
            #EXT-X-ENDLIST
            """);
        var store = new MemoryBlockStore();
        var progress = new List<HlsImportProgress>();
        var options = new HlsImportOptions { Key = Key, Title = "Test card", Progress = new Collect(progress) };
        var result = await new HlsImporter(store, options).ImportAsync(folder.Path);

        Assert.True(result.Head.Head.Sealed);
        Assert.Equal(4, result.Head.Head.Size);
        Assert.Equal("Test card", result.Head.Head.Metadata.Title);
        Assert.Empty(result.Head.Head.Metadata.Renditions);
        Assert.Equal(result.Head.Cid, result.ManifestRoot);
        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        Assert.Equal(segments, verified.Select(v => v.Payload));
        var bundles = verified.Select(v => v.Bundle.Bundle).ToArray();
        Assert.All(bundles, b => Assert.Equal("video/mp2t", b.MediaType));
        Assert.All(bundles, b => Assert.Equal(BundleKind.Media, b.Kind));
        Assert.All(bundles, b => Assert.Null(b.InitSeq));
        Assert.All(bundles, b => Assert.Equal(PriorityClass.Vod, b.Class));
        Assert.Equal([10L, 11L, 12L, 13L], bundles.Select(b => b.MediaSequence));
        Assert.Equal([2L, 2L, 3L, 3L], bundles.Select(b => b.DiscontinuitySequence));
        Assert.Equal([false, false, true, false], bundles.Select(b => b.Discontinuity));
        Assert.Equal([4_004_000L, 4_004_000L, 3_500_000L, 1_250_000L], bundles.Select(b => b.Duration.Ticks / 10));
        Assert.Equal(result.Bundles.Select(b => b.Bundle), verified.Select(v => v.Bundle.Cid));
        Assert.Equal(result.Bundles.Select(b => b.Payload), bundles.Select(b => b.Payload));
        Assert.Equal(segments.Sum(s => (long)s.Length), result.PayloadBytes);
        Assert.Equal([1, 2, 3, 4], progress.Select(p => p.Bundles));
        Assert.Equal(result.PayloadBytes, progress[^1].Bytes);
    }

    [Fact]
    public async Task A_folder_with_several_media_playlists_and_no_master_must_be_named()
    {
        using var folder = new TempFolder();
        folder.File("a.ts", FakeMedia.Ts(2, 1));
        folder.File("one.m3u8", "#EXTM3U\n#EXTINF:4,\na.ts\n");
        folder.File("two.m3u8", "#EXTM3U\n#EXTINF:4,\na.ts\n");
        var error = await Assert.ThrowsAsync<HlsUnsupportedException>(() => Importer(new MemoryBlockStore()).ImportAsync(folder.Path));
        Assert.Contains("holds 2 playlists (0 master); name the one to import", error.Message);

        folder.File("index.m3u8", "#EXTM3U\n#EXTINF:2,\na.ts\n");
        var result = await Importer(new MemoryBlockStore()).ImportAsync(folder.Path);
        Assert.Equal(Path.Combine(folder.Path, "a.ts"), Assert.Single(result.Bundles).Source.LocalPath);
    }

    [Fact]
    public async Task Paths_with_spaces_hashes_and_percent_signs_are_read_as_written()
    {
        using var folder = new TempFolder();
        var inner = Path.Combine(folder.Path, "my show #1 100%");
        var bytes = FakeMedia.Ts(3, 7);
        Directory.CreateDirectory(Path.Combine(inner, "part 2"));
        File.WriteAllBytes(Path.Combine(inner, "part 2", "seg 1.ts"), bytes);
        File.WriteAllText(Path.Combine(inner, "index.m3u8"), "#EXTM3U\n#EXTINF:4,\npart%202/seg%201.ts\n#EXTINF:4,\npart 2/seg 1.ts\n");

        var store = new MemoryBlockStore();
        var result = await Importer(store).ImportAsync(inner);

        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        Assert.Equal([bytes, bytes], verified.Select(v => v.Payload));
    }

    /// <summary>Records synchronously, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class Collect(List<HlsImportProgress> list) : IProgress<HlsImportProgress>
    {
        public void Report(HlsImportProgress value) => list.Add(value);
    }

    [Fact]
    public async Task Byte_ranges_of_one_fmp4_file_become_separate_payloads_with_an_init_bundle()
    {
        using var folder = new TempFolder();
        var init = FakeMedia.Box("ftyp", 700, 1);
        var parts = new[] { FakeMedia.Box("moof", 1000, 2), FakeMedia.Box("moof", 900, 3), FakeMedia.Box("styp", 1200, 4) };
        folder.File("main.mp4", [.. init, .. parts[0], .. parts[1], .. parts[2], .. new byte[50]]);
        folder.File("main.m3u8", """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="main.mp4",BYTERANGE="700@0"
            #EXTINF:4,
            #EXT-X-BYTERANGE:1000@700
            main.mp4
            #EXTINF:4,
            #EXT-X-BYTERANGE:900
            main.mp4
            #EXTINF:2,
            #EXT-X-BYTERANGE:1200
            main.mp4
            #EXT-X-ENDLIST
            """);
        var store = new MemoryBlockStore();
        var result = await Importer(store).ImportAsync(Path.Combine(folder.Path, "main.m3u8"));

        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        Assert.Equal([init, parts[0], parts[1], parts[2]], verified.Select(v => v.Payload));
        var bundles = verified.Select(v => v.Bundle.Bundle).ToArray();
        Assert.Equal(BundleKind.Init, bundles[0].Kind);
        Assert.Equal(TimeSpan.Zero, bundles[0].Duration);
        Assert.All(bundles, b => Assert.Equal("video/mp4", b.MediaType));
        Assert.All(bundles.Skip(1), b => Assert.Equal(0L, b.InitSeq));
        Assert.Equal([0L, 1L, 2L], bundles.Skip(1).Select(b => b.MediaSequence));
        Assert.Equal(new HlsByteRange(1700, 900), result.Bundles[2].Range);
    }

    [Fact]
    public async Task Master_playlist_imports_every_rendition_in_playback_order()
    {
        using var folder = new TempFolder();
        foreach (var (name, fill) in new[] { ("hi", 10), ("lo", 20) })
        {
            folder.File($"{name}/init.mp4", FakeMedia.Box("ftyp", 600, (byte)fill));
            for (var i = 0; i < 3; i++)
            {
                folder.File($"{name}/s{i}.m4s", FakeMedia.Box("moof", 800 + 100 * i, (byte)(fill + i)));
            }
            folder.File($"{name}/index.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\ns0.m4s\n#EXTINF:4,\ns1.m4s\n#EXTINF:2,\ns2.m4s\n#EXT-X-ENDLIST\n");
        }
        folder.File("audio/en.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\na0.aac\n#EXTINF:5,\na1.aac\n#EXT-X-ENDLIST\n");
        folder.File("audio/a0.aac", [0xFF, 0xF1, 0x50, 0x80, 1, 2, 3, 4, 5, 6]);
        folder.File("audio/a1.aac", [0xFF, 0xF1, 0x50, 0x80, 7, 8, 9, 10]);
        folder.File("master.m3u8", """
            #EXTM3U
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",DEFAULT=YES,URI="audio/en.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aud"
            hi/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=500000,CODECS="avc1.42c01e,mp4a.40.2",RESOLUTION=640x360,AUDIO="aud"
            lo/index.m3u8
            """);
        var store = new MemoryBlockStore();
        var result = await Importer(store).ImportAsync(folder.Path);

        var renditions = result.Head.Head.Metadata.Renditions;
        Assert.Equal(["v0", "v1", "a2"], renditions.Select(r => r.Id));
        Assert.Equal(new Rendition("v0", 2000000, "avc1.64001f,mp4a.40.2", 1280, 720), renditions[0]);
        // No BANDWIDTH for an EXT-X-MEDIA rendition: its peak segment bit rate, 10 bytes in 5 s.
        Assert.Equal(new Rendition("a2", 10 * 8 / 5), renditions[2]);
        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        var order = verified.Select(v => (v.Bundle.Bundle.Rendition, v.Bundle.Bundle.Kind, v.Bundle.Bundle.MediaSequence)).ToArray();
        Assert.Equal(
            [("v0", BundleKind.Init, 0L), ("v0", BundleKind.Media, 0L), ("v1", BundleKind.Init, 0L), ("v1", BundleKind.Media, 0L), ("a2", BundleKind.Media, 0L),
             ("v0", BundleKind.Media, 1L), ("v1", BundleKind.Media, 1L), ("a2", BundleKind.Media, 1L),
             ("v0", BundleKind.Media, 2L), ("v1", BundleKind.Media, 2L)],
            order);
        Assert.Equal("audio/aac", verified[4].Bundle.Bundle.MediaType);
        Assert.Equal(2L, verified[3].Bundle.Bundle.InitSeq);
        Assert.Equal(0L, verified[5].Bundle.Bundle.InitSeq);
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:4,\n../outside.ts\n", "outside the imported folder")]
    [InlineData("#EXTM3U\n#EXTINF:4,\nfile:///etc/hostname\n", "outside the imported folder")]
    [InlineData("#EXTM3U\n#EXTINF:4,\nhttp://example.org/a.ts\n", "not a local file")]
    [InlineData("#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:5000@0\nok.ts\n", "past its end")]
    [InlineData("#EXTM3U\n#EXTINF:4,\nmissing.ts\n", "does not exist")]
    [InlineData("#EXTM3U\n#EXTINF:4,\nnotes.txt\n", "neither MPEG-TS")]
    [InlineData("#EXTM3U\n#EXTINF:0,\nok.ts\n", "zero duration")]
    [InlineData("#EXTM3U\n#EXT-X-ENDLIST\n", "has no segments")]
    [InlineData("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,\nok.ts\n", "encrypted streams are not supported")]
    public async Task Bad_sources_are_refused_with_a_reason(string playlist, string reason)
    {
        using var outer = new TempFolder();
        File.WriteAllBytes(Path.Combine(outer.Path, "outside.ts"), FakeMedia.Ts(2, 0));
        var inner = Path.Combine(outer.Path, "hls");
        Directory.CreateDirectory(inner);
        File.WriteAllBytes(Path.Combine(inner, "ok.ts"), FakeMedia.Ts(2, 0));
        File.WriteAllText(Path.Combine(inner, "notes.txt"), "just some text, not media");
        File.WriteAllText(Path.Combine(inner, "index.m3u8"), playlist);
        var error = await Assert.ThrowsAnyAsync<MalformedDataException>(() => Importer(new MemoryBlockStore()).ImportAsync(inner));
        Assert.Contains(reason, error.Message);
    }
}
