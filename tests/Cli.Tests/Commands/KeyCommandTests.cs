using System.Text.Json;
using Overlay.Manifest.Keys;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Commands;

public sealed class KeyCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Gen_stores_an_owner_only_key_in_kubos_layout_and_prints_its_k51_name()
    {
        await _cli.InitAsync();

        var gen = (await _cli.RunAsync("key", "gen", "my stream")).AssertSuccess();

        var address = gen.Lines.Single();
        Assert.StartsWith("k51", address, StringComparison.Ordinal);
        // kubo: "key_" + lower-case unpadded base32 of the name (`printf "my stream" | base32`).
        var file = Path.Combine(_cli.RepoPath, "keystore", "key_nv4sa43uojswc3i");
        var key = Ed25519PrivateKey.FromProtobuf(File.ReadAllBytes(file));
        Assert.Equal(address, key.PeerId.ToBase36Name());
        Assert.Equal(key.PeerId, PeerId.Parse(address));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Single(Directory.GetFiles(Path.Combine(_cli.RepoPath, "keystore")));
    }

    [Fact]
    public async Task List_shows_self_first_then_keys_by_name_with_ids_under_l_and_json()
    {
        await _cli.InitAsync();
        var b = (await _cli.RunAsync("key", "gen", "beta")).AssertSuccess().Lines[0];
        var a = (await _cli.RunAsync("key", "gen", "alpha")).AssertSuccess().Lines[0];
        var self = PeerId.Parse((await _cli.RunAsync("id", "-f", "<id>")).AssertSuccess().Text).ToBase36Name();

        Assert.Equal(["self", "alpha", "beta"], (await _cli.RunAsync("key", "list")).AssertSuccess().Lines);
        Assert.Equal([$"{self} self", $"{a} alpha", $"{b} beta"], (await _cli.RunAsync("key", "list", "-l")).AssertSuccess().Lines);
        using var json = JsonDocument.Parse((await _cli.RunAsync("key", "list", "--json")).AssertSuccess().Output);
        var keys = json.RootElement.GetProperty("Keys").EnumerateArray().Select(k => (k.GetProperty("Name").GetString(), k.GetProperty("Id").GetString())).ToArray();
        Assert.Equal([("self", self), ("alpha", a), ("beta", b)], keys);
        using var gen = JsonDocument.Parse((await _cli.RunAsync("key", "gen", "gamma", "--json")).AssertSuccess().Output);
        Assert.Equal("gamma", gen.RootElement.GetProperty("Name").GetString());
        Assert.StartsWith("k51", gen.RootElement.GetProperty("Id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicates_and_bad_names_are_refused_and_the_existing_key_is_kept()
    {
        await _cli.InitAsync();
        var first = (await _cli.RunAsync("key", "gen", "live")).AssertSuccess().Lines[0];
        var file = Path.Combine(_cli.RepoPath, "keystore", Keystore.FileNameOf("live"));
        var bytes = File.ReadAllBytes(file);

        (await _cli.RunAsync("key", "gen", "live")).AssertOneLineError("a key named 'live' already exists");
        (await _cli.RunAsync("key", "gen", "self")).AssertOneLineError("'self' is the node's own identity key");
        (await _cli.RunAsync("key", "gen", "a/b")).AssertOneLineError("may not contain slashes");
        (await _cli.RunAsync("key", "gen", ".hidden")).AssertOneLineError("may not begin with a period");
        (await _cli.RunAsync("key", "gen", new string('x', 151))).AssertOneLineError("at most 150 UTF-8 bytes");

        Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(["self", "live"], (await _cli.RunAsync("key", "list")).AssertSuccess().Lines);
        Assert.Equal($"{first} live", (await _cli.RunAsync("key", "list", "-l")).AssertSuccess().Lines[1]);
        // No temporary file is left behind by the refused attempts.
        Assert.Single(Directory.GetFiles(Path.Combine(_cli.RepoPath, "keystore"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Keystore_reads_back_keys_and_self_and_ignores_foreign_files()
    {
        await _cli.InitAsync();
        await _cli.RunAsync("key", "gen", "ünïcode name");
        File.WriteAllText(Path.Combine(_cli.RepoPath, "keystore", "key_!!notbase32"), "x");
        var repo = OverlayRepo.Open(_cli.RepoPath);
        var keystore = new Keystore(repo);

        var entries = keystore.List();
        Assert.Equal(["self", "ünïcode name"], entries.Select(e => e.Name));
        Assert.Equal(entries[1].Id, keystore.Get("ünïcode name")!.PeerId);
        Assert.Equal(entries[0].Id, keystore.Get("self")!.PeerId);
        Assert.Null(keystore.Get("absent"));
        Assert.True(File.Exists(Path.Combine(keystore.FolderPath, Keystore.FileNameOf("ünïcode name"))));
    }

    [Fact]
    public async Task Key_commands_need_an_initialised_repo()
    {
        (await _cli.RunAsync("key", "list")).AssertOneLineError("no repo at");
    }
}
