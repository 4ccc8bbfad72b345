using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// kubo's own JS RPC client (kubo-rpc-client 7, tests/js/kubo-rpc-client.mjs) against our
/// daemon: add (a file, and a tree whose directories are only implied), cat with a range, get's
/// tar, block put/stat/get and pubsub, as a kubo user's tooling would call them.
/// </summary>
public sealed class KuboRpcClientTests : IAsyncLifetime
{
    private const int Size = 3_000_000;
    private const ulong Seed = 5;

    private readonly CliHarness _cli = new();
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Kubo_rpc_client_adds_cats_gets_puts_blocks_and_uses_pubsub_on_our_daemon()
    {
        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("kubo-rpc-client.mjs",
            [$"http://127.0.0.1:{_daemon.ApiEndPoint.Port}", Size.ToString(CultureInfo.InvariantCulture), Seed.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(exitCode == 0, $"exit {exitCode}: {stdout} {stderr}");
        var answer = JsonDocument.Parse(stdout).RootElement;

        var content = DeterministicBytes.Generate(Seed, Size);
        var file = _cli.WriteFile("same.bin", content);
        var expected = (await _cli.RunRawAsync(["add", "-n", "-Q", file])).AssertSuccess().Text.Trim();
        Assert.Equal(expected, answer.GetProperty("added").GetString());
        Assert.Equal(Size, answer.GetProperty("catLength").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), answer.GetProperty("catSha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(content.AsSpan(1000, 16)), answer.GetProperty("range").GetString());
        // A tar of one file: 512-byte header(s), the content padded to 512, two zero blocks.
        Assert.InRange(answer.GetProperty("tarBytes").GetInt32(), Size + 1536, Size + 8192);

        var dir = answer.GetProperty("dir").EnumerateArray().ToArray();
        Assert.Equal(["album/one.txt", "album/deep/two.txt", "album/deep", "album", ""], dir.Select(e => e.GetProperty("path").GetString()));
        var one = _cli.WriteFile("one.txt", CliHarness.Utf8("one\n"));
        Assert.Equal((await _cli.RunRawAsync(["add", "-n", "-Q", one])).AssertSuccess().Text.Trim(), dir[0].GetProperty("cid").GetString());
        // The wrapping directory reads back through our CLI (through the daemon).
        Assert.Equal("two\n", (await _cli.RunAsync("cat", dir[^1].GetProperty("cid").GetString() + "/album/deep/two.txt")).AssertSuccess().Text);

        var block = answer.GetProperty("block");
        Assert.Equal("a raw block", block.GetProperty("get").GetString());
        Assert.Equal(11, block.GetProperty("size").GetInt32());
        Assert.Equal($"Key: {block.GetProperty("cid").GetString()}\nSize: 11\n", (await _cli.RunAsync("block", "stat", block.GetProperty("cid").GetString()!)).AssertSuccess().Text);

        Assert.Equal(["kubo/client topic"], answer.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
    }
}
