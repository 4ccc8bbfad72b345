using System.Text.Json;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Tests.Commands;

public sealed class InitAndIdTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Init_creates_config_identity_key_and_block_store()
    {
        var init = (await _cli.RunAsync("init")).AssertSuccess();

        Assert.Equal("generating ED25519 keypair...done", init.Lines[0]);
        Assert.StartsWith("peer identity: 12D3KooW", init.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"initializing overlay node at {_cli.RepoPath}", init.Lines[2]);
        var peerId = init.Lines[1]["peer identity: ".Length..];

        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_cli.RepoPath, "config.json")));
        Assert.Equal(peerId, config.RootElement.GetProperty("Identity").GetProperty("PeerID").GetString());
        var addresses = config.RootElement.GetProperty("Addresses");
        Assert.Equal("/ip4/0.0.0.0/tcp/7778", addresses.GetProperty("Swarm")[0].GetString());
        Assert.Equal("/ip4/127.0.0.1/tcp/7777", addresses.GetProperty("Gateway").GetString());
        Assert.Equal("/ip4/127.0.0.1/tcp/7779", addresses.GetProperty("API").GetString());
        // The private key is not in the config; it is in its own owner-only file.
        Assert.DoesNotContain("Priv", File.ReadAllText(Path.Combine(_cli.RepoPath, "config.json")), StringComparison.Ordinal);

        var keyFile = Path.Combine(_cli.RepoPath, "identity.key");
        var key = Ed25519PrivateKey.FromProtobuf(File.ReadAllBytes(keyFile));
        Assert.Equal(peerId, key.PeerId.ToString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        Assert.Equal("/repo/flatfs/shard/v1/next-to-last/2\n", File.ReadAllText(Path.Combine(_cli.RepoPath, "blocks", "SHARDING")));
    }

    [Fact]
    public async Task Init_refuses_an_initialised_repo_and_keeps_its_identity()
    {
        await _cli.InitAsync();
        var before = File.ReadAllBytes(Path.Combine(_cli.RepoPath, "identity.key"));

        (await _cli.RunAsync("init")).AssertOneLineError($"a repo is already initialised at {_cli.RepoPath}");

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_cli.RepoPath, "identity.key")));
    }

    [Fact]
    public async Task Init_in_an_existing_empty_folder_is_allowed()
    {
        Directory.CreateDirectory(_cli.RepoPath);

        await _cli.InitAsync();

        Assert.True(File.Exists(Path.Combine(_cli.RepoPath, "config.json")));
    }

    [Fact]
    public async Task Id_prints_the_identity_from_init()
    {
        var peerId = (await _cli.RunAsync("init")).AssertSuccess().Lines[1]["peer identity: ".Length..];

        var id = (await _cli.RunAsync("id")).AssertSuccess();
        var json = (await _cli.RunAsync("id", "--json")).AssertSuccess();
        var format = (await _cli.RunAsync("id", "-f", "<id>\\n")).AssertSuccess();

        Assert.Equal($"ID: {peerId}", id.Lines[0]);
        Assert.Equal($"AgentVersion: overlay/{CliContext.Version}", id.Lines[2]);
        Assert.Equal($"{peerId}\n", format.Text);
        using var document = JsonDocument.Parse(json.Output);
        var root = document.RootElement;
        Assert.Equal(peerId, root.GetProperty("ID").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("Addresses").ValueKind);
        Assert.Equal("overlay/0.1.0", root.GetProperty("AgentVersion").GetString());
        // PublicKey is the base64 libp2p public-key protobuf, whose identity multihash is the peer ID.
        var publicKey = PublicKey.FromProtobuf(Convert.FromBase64String(root.GetProperty("PublicKey").GetString()!));
        Assert.Equal(peerId, publicKey.ToPeerId().ToString());
        Assert.Equal($"PublicKey: {root.GetProperty("PublicKey").GetString()}", id.Lines[1]);
    }

    [Fact]
    public async Task A_repo_with_another_layout_version_or_a_broken_config_is_refused_in_one_line()
    {
        await _cli.InitAsync();
        var version = Path.Combine(_cli.RepoPath, "version");
        Assert.Equal("1\n", File.ReadAllText(version));

        File.WriteAllText(version, "2\n");
        (await _cli.RunAsync("id")).AssertOneLineError("has layout version \"2\"; this overlay reads version 1");

        File.WriteAllText(version, "1\n");
        File.WriteAllText(Path.Combine(_cli.RepoPath, "config.json"), "{\"Identity\":");
        (await _cli.RunAsync("id")).AssertOneLineError("config.json");
    }

    [Fact]
    public async Task Id_without_a_repo_says_to_run_init()
    {
        (await _cli.RunAsync("id")).AssertOneLineError($"no repo at {_cli.RepoPath}: run `overlay init`");
    }

    [Fact]
    public async Task Repo_path_comes_from_the_flag_then_OVERLAY_PATH_then_home()
    {
        var fromEnvironment = Path.Combine(_cli.Home, "from-env");
        var fromFlag = Path.Combine(_cli.Home, "from-flag");

        (await _cli.RunRawAsync(["init"])).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(_cli.Home, ".overlay", "config.json")));

        _cli.Environment["OVERLAY_PATH"] = fromEnvironment;
        (await _cli.RunRawAsync(["init"])).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(fromEnvironment, "config.json")));

        (await _cli.RunRawAsync(["init", "--repo", fromFlag])).AssertSuccess();
        Assert.True(File.Exists(Path.Combine(fromFlag, "config.json")));
        // The global option also works before the command.
        (await _cli.RunRawAsync(["--repo", fromFlag, "id"])).AssertSuccess();
    }

    [Fact]
    public async Task Usage_errors_are_one_line_with_exit_code_1()
    {
        (await _cli.RunAsync("no-such-command")).AssertOneLineError("no-such-command");
        (await _cli.RunAsync("block", "get")).AssertOneLineError("Required argument missing");
        (await _cli.RunAsync("block", "put", "--cid-codec", "nope")).AssertOneLineError("nope");
    }

    [Fact]
    public async Task Version_and_help()
    {
        Assert.Equal($"overlay version {CliContext.Version}\n", (await _cli.RunRawAsync(["version"])).AssertSuccess().Text);
        Assert.Equal($"overlay version {CliContext.Version}\n", (await _cli.RunRawAsync(["--version"])).AssertSuccess().Text);
        Assert.Contains("block", (await _cli.RunRawAsync(["--help"])).AssertSuccess().Text, StringComparison.Ordinal);
        Assert.Contains("put", (await _cli.RunRawAsync(["block"])).AssertSuccess().Text, StringComparison.Ordinal);
    }
}
