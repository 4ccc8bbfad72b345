using System.Text;
using Overlay.Bridge.Ffmpeg;
using Overlay.Bridge.Import;
using Overlay.Bridge.Live;
using Overlay.Bridge.Tests.Import;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bridge.Tests.Live;

/// <summary>
/// The live importer (specs/stream-import.md §5): a playlist the test writes step by step
/// (missing, caught mid-write, growing, ended), and ffmpeg writing one in real time.
/// </summary>
public sealed class LivePlaylistWatcherTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private readonly TempFolder _folder = new();
    private readonly Ed25519PrivateKey _key = Ed25519PrivateKey.Generate();
    private readonly MemoryBlockStore _store = new();

    private LiveImportOptions Options => new()
    {
        Import = new HlsImportOptions { Key = _key, Title = "cam", Class = PriorityClass.Live },
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Segments_become_bundles_as_they_appear_a_mid_write_playlist_is_retried_and_endlist_ends_the_watch()
    {
        var playlist = Path.Combine(_folder.Path, "index.m3u8");
        var watcher = new LivePlaylistWatcher(_store, Options with { FirstSeq = 5 });
        await using var bundles = watcher.WatchAsync(playlist).GetAsyncEnumerator();
        var next = bundles.MoveNextAsync().AsTask();

        // No playlist yet, then one caught mid-write: nothing comes, nothing fails.
        await Task.Delay(100);
        File.WriteAllText(playlist, "#EXTM");
        await Task.Delay(100);
        Assert.False(next.IsCompleted);

        // A playlist before its first segment is a normal live state, not a failure, however long it lasts.
        File.WriteAllText(playlist, Playlist(0, 0, end: false));
        await Task.Delay(Options.PollInterval * (Options.MaxFailedReads + 5));
        Assert.False(next.IsCompleted);

        _folder.File("s0.ts", FakeMedia.Ts(10, 1));
        File.WriteAllText(playlist, Playlist(0, 1, end: false));
        Assert.True(await next.WaitAsync(Step));
        var first = bundles.Current.Signed.Bundle;
        Assert.Equal(5, first.Seq);
        Assert.Equal(PriorityClass.Live, first.Class);
        Assert.Equal(first.Created + PriorityClass.Live.DefaultLifetime(), first.Expires);
        Assert.Equal("video/mp2t", first.MediaType);
        Assert.Equal(await PayloadAsync(first.Payload), FakeMedia.Ts(10, 1));

        _folder.File("s1.ts", FakeMedia.Ts(11, 2));
        _folder.File("s2.ts", FakeMedia.Ts(12, 3));
        File.WriteAllText(playlist, Playlist(0, 3, end: false));
        Assert.True(await bundles.MoveNextAsync().AsTask().WaitAsync(Step));
        Assert.True(await bundles.MoveNextAsync().AsTask().WaitAsync(Step));
        Assert.Equal((7, 2), (bundles.Current.Signed.Bundle.Seq, bundles.Current.Signed.Bundle.MediaSequence));
        Assert.Equal(await PayloadAsync(bundles.Current.Signed.Bundle.Payload), FakeMedia.Ts(12, 3));

        // A sliding window that dropped the old segments: only the new one is imported, then ENDLIST ends it.
        _folder.File("s3.ts", FakeMedia.Ts(13, 4));
        File.WriteAllText(playlist, Playlist(2, 4, end: true));
        Assert.True(await bundles.MoveNextAsync().AsTask().WaitAsync(Step));
        Assert.Equal((8, 3), (bundles.Current.Signed.Bundle.Seq, bundles.Current.Signed.Bundle.MediaSequence));
        Assert.False(await bundles.MoveNextAsync().AsTask().WaitAsync(Step));
        Assert.Equal(4, watcher.Bundles);
        Assert.Equal("cam", watcher.Metadata.Title);
    }

    [Fact]
    public async Task A_playlist_that_stays_unreadable_fails_after_the_bounded_retries()
    {
        var playlist = _folder.File("index.m3u8", "not a playlist");
        var watcher = new LivePlaylistWatcher(_store, Options with { MaxFailedReads = 3 });
        await Assert.ThrowsAsync<MalformedDataException>(async () =>
        {
            await foreach (var _ in watcher.WatchAsync(playlist).WithCancellation(new CancellationTokenSource(Step).Token))
            {
            }
        });
    }

    [Fact]
    public async Task Writer_done_reads_once_more_and_ends_without_endlist_and_cancellation_stops_a_waiting_watch()
    {
        _folder.File("s0.ts", FakeMedia.Ts(10, 1));
        var playlist = _folder.File("index.m3u8", Playlist(0, 1, end: false));
        var done = new TaskCompletionSource();
        var watcher = new LivePlaylistWatcher(_store, Options);
        var all = Task.Run(async () => await watcher.WatchAsync(playlist, done.Task).ToListAsync());
        await Task.Delay(200);
        _folder.File("s1.ts", FakeMedia.Ts(10, 2));
        File.WriteAllText(playlist, Playlist(0, 2, end: false));
        done.SetResult();
        Assert.Equal([0L, 1L], (await all.WaitAsync(Step)).Select(b => b.Signed.Bundle.Seq));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await new LivePlaylistWatcher(_store, Options).WatchAsync(Path.Combine(_folder.Path, "absent.m3u8")).ToListAsync(cancel.Token));
    }

    [Fact]
    public async Task Ffmpeg_writing_fmp4_in_real_time_gives_an_init_bundle_then_media_bundles_that_name_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "fmp4")).FullName;
        var playlist = Path.Combine(folder, "index.m3u8");
        var encoder = new FfmpegRunner().FfmpegAsync(["-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=25:duration=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
            "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "event", "-hls_segment_type", "fmp4", playlist]);
        var watcher = new LivePlaylistWatcher(_store, Options);
        var arrivals = new List<(long Seq, DateTime At)>();
        var bundles = new List<SignedBundle>();
        await foreach (var bundle in watcher.WatchAsync(playlist, encoder).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
        {
            bundles.Add(bundle.Signed);
            arrivals.Add((bundle.Signed.Bundle.Seq, DateTime.UtcNow));
        }
        await encoder;
        Assert.Equal(BundleKind.Init, bundles[0].Bundle.Kind);
        Assert.True(bundles.Count >= 4, $"{bundles.Count} bundles");
        Assert.All(bundles.Skip(1), b => Assert.Equal((BundleKind.Media, 0L, "video/mp4"), (b.Bundle.Kind, b.Bundle.InitSeq, b.Bundle.MediaType)));
        Assert.Equal(Enumerable.Range(0, bundles.Count).Select(i => (long)i), bundles.Select(b => b.Bundle.Seq));
        // Real time: the segments arrived over seconds, not all at the end.
        Assert.True(arrivals[^1].At - arrivals[1].At > TimeSpan.FromSeconds(1.5), $"{arrivals[^1].At - arrivals[1].At}");
    }

    [Fact]
    public async Task LiveImporter_reads_stdin_through_ffmpeg_and_deletes_each_segment_once_imported()
    {
        var ts = Path.Combine(_folder.Path, "in.ts");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=25:duration=5", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", ts]);
        var output = Path.Combine(_folder.Path, "out");
        var importer = new LiveImporter(_store, new FfmpegRunner(), Options with { OutputFolder = output });
        await using var input = File.OpenRead(ts);
        var bundles = await importer.ImportAsync("-", input).ToListAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(bundles.Count >= 2, $"{bundles.Count} bundles");
        Assert.All(bundles, b => Assert.Equal("video/mp2t", b.Signed.Bundle.MediaType));
        Assert.Empty(Directory.GetFiles(output, "*.ts"));
        Assert.Equal(bundles.Sum(b => b.Imported.Size), bundles.Sum(b => b.Signed.Bundle.Size));
    }

    private static string Playlist(int from, int to, bool end)
    {
        var text = new StringBuilder($"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:{from}\n");
        for (var i = from; i < to; i++)
        {
            text.Append($"#EXTINF:2.000,\ns{i}.ts\n");
        }
        return text.Append(end ? "#EXT-X-ENDLIST\n" : "").ToString();
    }

    private async Task<byte[]> PayloadAsync(Overlay.Manifest.Multiformats.Cid cid)
    {
        using var bytes = new MemoryStream();
        await foreach (var chunk in new UnixFsReader(_store).ReadAsync(cid))
        {
            bytes.Write(chunk.Span);
        }
        return bytes.ToArray();
    }

    public void Dispose() => _folder.Dispose();
}
