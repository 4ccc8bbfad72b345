using System.Globalization;
using System.Security.Cryptography;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// Files between our daemon, driven through the CLI and its RPC, and a real Helia 7 node
/// (tests/js/helia-peer.mjs) over TCP, Noise, yamux and bitswap, both ways, under one CID.
/// </summary>
public sealed class DaemonHeliaInteropTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const long Size = (6L << 20) + 777;

    private readonly CliHarness _cli = new();
    private InProcessDaemon _daemon = null!;
    private JsProcess _helia = null!;
    private string _heliaPeer = "";
    private string _heliaAddress = "";

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
        _helia = JsProcess.Start("helia-peer.mjs");
        var ready = await _helia.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        _heliaPeer = (string)ready["peerId"]!;
        _heliaAddress = (string)ready["addrs"]![0]!;
    }

    public async Task DisposeAsync()
    {
        await _helia.DisposeAsync();
        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Helia_fetches_a_file_overlay_add_put_into_our_daemon()
    {
        const ulong seed = 9001;
        var file = Path.Combine(_cli.Home, "clip.bin");
        await using (var source = DeterministicBytes.Open(seed, Size))
        await using (var target = File.Create(file))
        {
            await source.CopyToAsync(target);
        }
        var cid = (await _cli.RunAsync("add", "-Q", file)).AssertSuccess().Text.Trim();

        await _helia.CommandAsync("dial", new { addr = _daemon.SwarmAddress.ToString() }, Timeout);
        var cat = await _helia.CommandAsync("cat", new { cid, timeoutMs = (int)Timeout.TotalMilliseconds }, Timeout);

        Assert.Equal(Size, (long)cat["length"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), (string?)cat["sha256"]);
        // Helia's importer, same bytes, same profile: the same root.
        var heliaAdd = await _helia.CommandAsync("add", new { size = Size, seed = seed.ToString(CultureInfo.InvariantCulture) }, Timeout);
        Assert.Equal(cid, (string?)heliaAdd["cid"]);
    }

    [Fact]
    public async Task Our_daemon_cats_and_gets_a_file_Helia_added()
    {
        const ulong seed = 9002;
        var added = await _helia.CommandAsync("add", new { size = Size, seed = seed.ToString(CultureInfo.InvariantCulture) }, Timeout);
        var cid = (string)added["cid"]!;
        var expected = DeterministicBytes.Generate(seed, (int)Size);

        var connect = (await _cli.RunAsync("swarm", "connect", _heliaAddress)).AssertSuccess();
        Assert.Equal($"connect {_heliaPeer} success\n", connect.Text);
        var cat = (await _cli.RunAsync("cat", cid).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(cat.Output));

        var target = Path.Combine(_cli.Home, "from-helia.bin");
        (await _cli.RunAsync("get", cid, "-o", target).WaitAsync(Timeout)).AssertSuccess();
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(File.ReadAllBytes(target)));
        // Our offline importer gives Helia's CID for the same bytes.
        Assert.Equal(cid + "\n", (await _cli.RunRawAsync(["add", "-n", "-Q", target])).AssertSuccess().Text);
    }
}
