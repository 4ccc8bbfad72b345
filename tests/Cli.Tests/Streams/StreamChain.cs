using System.Diagnostics;
using Overlay.Addressing;
using Overlay.Bridge.Ffmpeg;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.Repo;
using Overlay.Streams;

namespace Overlay.Cli.Tests.Streams;

/// <summary>
/// Three in-process nodes on loopback TCP, A ↔ B ↔ C (C never connected to A), for stream tests
/// that need the nodes' clocks and stores in-process: byte-for-byte checks, ffprobe on every
/// payload, and per-hop latency.
/// </summary>
internal sealed class StreamChain : IAsyncDisposable
{
    public static readonly StreamServiceOptions Quick = new()
    {
        RequestDelay = TimeSpan.FromMilliseconds(500),
        AnswerInterval = TimeSpan.FromMilliseconds(100),
        RetryDelay = TimeSpan.FromMilliseconds(500),
    };

    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];

    private StreamChain(string root, OverlayNode[] nodes)
    {
        Root = root;
        Nodes = nodes;
    }

    public string Root { get; }

    public OverlayNode[] Nodes { get; }

    public OverlayNode A => Nodes[0];

    public static async Task<StreamChain> StartAsync(int count = 3)
    {
        var root = Directory.CreateTempSubdirectory("overlay-chain-").FullName;
        var nodes = new OverlayNode[count];
        for (var i = 0; i < count; i++)
        {
            var key = Ed25519PrivateKey.Generate();
            var repo = OverlayRepo.Init(Path.Combine(root, $"n{i}"), key.ToProtobuf(), key.PeerId.ToString());
            nodes[i] = await OverlayNode.StartAsync(repo, new OverlayNodeOptions { ListenAddresses = Loopback, Streams = Quick });
            if (i > 0)
            {
                await nodes[i].Host.ConnectAsync(nodes[i - 1].Addresses[0]).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        return new StreamChain(root, nodes);
    }

    /// <summary>Every payload under <paramref name="head"/> as the node's own repo holds it (no network).</summary>
    public static async Task<List<(Bundle Bundle, byte[] Payload)>> ReadLocalAsync(OverlayNode node, SignedTreeHead head)
    {
        var reader = new StreamManifestReader(node.Repo.Blocks, head);
        var all = new List<(Bundle, byte[])>();
        foreach (var leaf in await reader.GetLeavesAsync(0, head.Head.Size))
        {
            var block = await node.Repo.Blocks.GetAsync(leaf) ?? throw new InvalidOperationException($"bundle {leaf} is not held");
            var bundle = SignedBundle.Decode(block.Span, head.Head.Stream).Bundle;
            using var payload = new MemoryStream();
            await foreach (var chunk in new UnixFsReader(node.Repo.Blocks).ReadAsync(bundle.Payload))
            {
                payload.Write(chunk.Span);
            }
            all.Add((bundle, payload.ToArray()));
        }
        return all;
    }

    /// <summary>
    /// Every payload at the last node equals the first node's, and every media segment decodes
    /// with ffprobe (an init section is prefixed, as a player would).
    /// </summary>
    public async Task AssertSameAndDecodableAsync(SignedTreeHead head)
    {
        var atA = await ReadLocalAsync(A, head);
        var atLast = await ReadLocalAsync(Nodes[^1], head);
        Assert.Equal(atA.Count, atLast.Count);
        var folder = Directory.CreateDirectory(Path.Combine(Root, "decoded")).FullName;
        var ffmpeg = new FfmpegRunner();
        for (var i = 0; i < atA.Count; i++)
        {
            Assert.Equal(atA[i].Payload, atLast[i].Payload);
            var (bundle, payload) = atLast[i];
            if (bundle.Kind != BundleKind.Media)
            {
                continue;
            }
            var file = Path.Combine(folder, $"{i}.seg");
            await File.WriteAllBytesAsync(file, bundle.InitSeq is { } init ? [.. atLast[(int)init].Payload, .. payload] : payload);
            var probe = await ffmpeg.FfprobeAsync(["-v", "error", "-count_frames", "-show_entries", "stream=codec_type,nb_read_frames", "-of", "csv=p=0", file]);
            var text = System.Text.Encoding.UTF8.GetString(probe.StandardOutput);
            Assert.Contains("video,", text, StringComparison.Ordinal);
        }
    }

    /// <summary>Waits until <paramref name="node"/> holds every bundle under <paramref name="head"/>.</summary>
    public static async Task WaitHeldAsync(OverlayNode node, SignedTreeHead head, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (node.Streams.GetStatus(head.Head.Stream) is not { Complete: true } status || status.Head != head.Cid.ToString())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{node.PeerId} holds {node.Streams.GetStatus(head.Head.Stream)} after {timeout}, not all of {head.Cid}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Reverse())
        {
            await node.DisposeAsync();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A late background write keeps a file open; the temp folder is reclaimed later.
        }
    }
}
