using System.Reflection;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Node;
using Overlay.Protocols;
using Overlay.Streams.Sync;
using Overlay.Tests.Bitswap;

namespace Overlay.Tests.Streams.Sync;

/// <summary>A sync peer that pushes forged, expired, tampered and foreign data or an oversized summary: each counted, logged, nothing of it held (specs/sync.md §5).</summary>
public sealed class SyncHostileTests : IDisposable
{
    private readonly StreamServiceTests _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Forged_expired_tampered_and_foreign_pushes_are_refused_by_reason_and_nothing_of_them_is_held()
    {
        var t0 = DateTimeOffset.UtcNow;
        var clock = new ManualClock(t0);
        var options = DelayTolerantSyncTests.Options(clock) with { Sync = new SyncOptions { Interval = TimeSpan.FromMinutes(10) } };
        await using var victim = await OverlayNode.StartAsync(_nodes.NewRepo("v"), options);
        await using var attacker = await OverlayNode.StartAsync(_nodes.NewRepo("x"), options);

        var scratch = new MemoryBlockStore();
        var forgedHeadKey = Ed25519PrivateKey.Generate();
        var honestHead = (await TestStream.BuildAsync(forgedHeadKey, scratch, 1, seed: 1, time: t0, segmentBytes: 1000)).Head;
        var forgedHead = honestHead.Bytes.ToArray();
        forgedHead[forgedHead.AsSpan().IndexOf(honestHead.Signature.Span) + 7] ^= 0x01;
        // A head whose one day of validity ended yesterday.
        var oldKey = Ed25519PrivateKey.Generate();
        var old = new StreamManifestBuilder(oldKey, scratch);
        var then = t0 - TimeSpan.FromDays(2);
        var oldPayload = (await new Manifest.UnixFs.UnixFsImporter(scratch).ImportFileAsync(new MemoryStream([1, 2, 3]))).Cid;
        await old.AppendAsync(Shared.MediaBundles.Sign(oldKey, 0, oldPayload, 3, PriorityClass.Vod, then, TimeSpan.FromDays(30)));
        var expiredHead = await old.SignHeadAsync(then, lifetime: TimeSpan.FromDays(1), seal: true);

        // The honest-looking stream: bundle 0 good, 1 expired by now, 2 with a tampered payload, 3 with a forged signature.
        var key = Ed25519PrivateKey.Generate();
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(key, store);
        var importer = new Manifest.UnixFs.UnixFsImporter(store);
        var created = t0 - TimeSpan.FromMinutes(10);
        var payloads = new List<(Cid Cid, byte[] Bytes)>();
        for (var seq = 0; seq < 4; seq++)
        {
            var bytes = Shared.DeterministicBytes.Generate(90 + (ulong)seq, 5000);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes))).Cid;
            payloads.Add((payload, bytes));
            var bundle = Shared.MediaBundles.Sign(key, seq, payload, bytes.Length, PriorityClass.Vod, created, seq == 1 ? TimeSpan.FromMinutes(1) : TimeSpan.FromDays(1));
            await builder.AppendAsync(seq == 3 ? Forge(bundle) : bundle);
        }
        var head = await builder.SignHeadAsync(created, seal: true);
        var strangerStream = Ed25519PrivateKey.Generate().PeerId;

        async Task PushAsync(PeerStream stream, CancellationToken token)
        {
            await LengthPrefixedMessage.ReadAsync(stream.Input, SyncLimits.MaxSummaryBytes, SyncCodec.Format, token);
            void Frame(SyncFrameKind kind, ReadOnlyMemory<byte> data = default, PeerId? of = null, long seq = 0) =>
                LengthPrefixedMessage.Write(stream.Output, SyncCodec.EncodeFrame(new SyncFrame { Kind = kind, Data = data, Stream = of, Seq = seq }));
            async Task BlocksOf(Cid cid) => Frame(SyncFrameKind.Block, (await store.GetAsync(cid, token))!.Value);
            Frame(SyncFrameKind.Head, forgedHead);
            Frame(SyncFrameKind.Head, expiredHead.Bytes);
            Frame(SyncFrameKind.Head, head.Bytes);
            await BlocksOf(head.Head.Leaves);
            var leaves = await new StreamManifestReader(store, head).GetLeavesAsync(0, 4, token);
            for (var seq = 0; seq < 4; seq++)
            {
                await BlocksOf(leaves[seq]);
                var payload = payloads[seq].Bytes.ToArray();
                if (seq == 2)
                {
                    payload[100] ^= 0xff;
                }
                Frame(SyncFrameKind.Block, payload);
                Frame(SyncFrameKind.Bundle, of: key.PeerId, seq: seq);
            }
            Frame(SyncFrameKind.Bundle, of: key.PeerId, seq: 99);
            Frame(SyncFrameKind.Bundle, of: strangerStream, seq: 0);
            LengthPrefixedMessage.Write(stream.Output, [0xff, 0x00, 0x01]);
            await stream.Output.FlushAsync(token);
            await stream.Output.CompleteAsync();
        }
        attacker.Host.SetStreamHandler(SyncService.ProtocolId, PushAsync);

        await victim.Host.ConnectAsync(attacker.Addresses[0]).WaitAsync(TimeSpan.FromSeconds(30));
        var metrics = victim.Sync.Metrics;
        await Eventually.TrueAsync(() => metrics.RefusedFor(SyncRejection.Malformed) >= 1, "the victim ends the session at the junk frame", TimeSpan.FromSeconds(30));
        Assert.Equal(1, metrics.RefusedFor(SyncRejection.BadHead));
        Assert.Equal(2, metrics.RefusedFor(SyncRejection.Expired)); // the old head and bundle 1
        Assert.Equal(1, metrics.RefusedFor(SyncRejection.Missing));
        Assert.Equal(1, metrics.RefusedFor(SyncRejection.Signature));
        Assert.Equal(2, metrics.RefusedFor(SyncRejection.NoHead));
        Assert.Equal(1, metrics.BundlesTaken);

        var status = victim.Streams.GetStatus(key.PeerId)!;
        Assert.Equal((1L, 1L), (status.Held, status.Expired));
        Assert.Null(victim.Streams.GetStatus(forgedHeadKey.PeerId));
        Assert.Null(victim.Streams.GetStatus(oldKey.PeerId));
        Assert.Null(victim.Streams.GetStatus(strangerStream));
        Assert.True(await victim.Repo.Blocks.HasAsync(payloads[0].Cid));
        foreach (var seq in new[] { 1, 2, 3 })
        {
            Assert.False(await victim.Repo.Blocks.HasAsync(payloads[seq].Cid));
        }

        // An oversized summary is refused before it is read.
        var before = metrics.RefusedFor(SyncRejection.Malformed);
        await using (var stream = await attacker.Host.NewStreamAsync(victim.PeerId, [SyncService.ProtocolId]))
        {
            var prefix = new byte[10];
            var length = Varint.Write((ulong)SyncLimits.MaxSummaryBytes + 1, prefix);
            await stream.Output.WriteAsync(prefix.AsMemory(0, length));
            await stream.Output.WriteAsync(new byte[4096]);
        }
        await Eventually.TrueAsync(() => metrics.RefusedFor(SyncRejection.Malformed) > before, "the victim refuses the oversized summary", TimeSpan.FromSeconds(30));

        // A second session while the first is still being answered (its summary never comes) is refused at once.
        await using var first = await attacker.Host.NewStreamAsync(victim.PeerId, [SyncService.ProtocolId]);
        try
        {
            await using var second = await attacker.Host.NewStreamAsync(victim.PeerId, [SyncService.ProtocolId]);
        }
        catch (Overlay.Muxing.StreamResetException)
        {
            // The victim may reset it before the attacker has read the negotiation's answer.
        }
        await Eventually.TrueAsync(() => metrics.RefusedFor(SyncRejection.Busy) == 1, "the victim refuses the second concurrent session", TimeSpan.FromSeconds(30));
    }

    /// <summary>The bundle with one signature bit flipped: same fields, another CID, a signature that fails.</summary>
    private static SignedBundle Forge(SignedBundle bundle)
    {
        var bytes = bundle.Bytes.ToArray();
        var at = bytes.AsSpan().IndexOf(bundle.Signature.Span);
        bytes[at + 3] ^= 0x01;
        var constructor = typeof(SignedBundle).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, [typeof(Bundle), typeof(byte[]), typeof(ReadOnlyMemory<byte>)])!;
        return (SignedBundle)constructor.Invoke([bundle.Bundle, bytes, new ReadOnlyMemory<byte>(bytes, at, 64)]);
    }
}
