using System.Text.Json;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Tests.Commands;

public sealed class UnixFsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<int> Sizes() => new() { 0, 1, 1000, 262_144, 1_048_576, 1_048_577, 3 * 1_048_576 + 17 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Add_then_cat_returns_the_exact_bytes(int size)
    {
        await _cli.InitAsync();
        var content = CliHarness.RandomBytes(size, seed: size);
        var file = _cli.WriteFile("input.bin", content);

        var add = (await _cli.RunAsync("add", file)).AssertSuccess();
        var line = add.Lines.Single().Split(' ');
        var cat = (await _cli.RunAsync("cat", line[1])).AssertSuccess();

        Assert.Equal("added", line[0]);
        Assert.Equal("input.bin", line[2]);
        Assert.Equal(content, cat.Output);
        if (size <= 1_048_576)
        {
            // One chunk under unixfs-v1-2025 is a single raw leaf: the file's CID is the raw CID of its bytes,
            // as `ipfs add --cid-version=1 --raw-leaves` gives.
            Assert.Equal(Cid.Compute(Multicodec.Raw, content).ToString(), line[1]);
        }
        else
        {
            Assert.StartsWith("bafybei", line[1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Add_only_hash_gives_the_same_CID_and_stores_nothing()
    {
        var content = CliHarness.RandomBytes(2_500_000, seed: 3);
        var file = _cli.WriteFile("big.bin", content);

        // Needs no repo at all.
        var onlyHash = (await _cli.RunAsync("add", "-n", "-Q", file)).AssertSuccess().Lines.Single();
        Assert.False(Directory.Exists(_cli.RepoPath));

        await _cli.InitAsync();
        (await _cli.RunAsync("add", "--only-hash", file)).AssertSuccess();
        (await _cli.RunAsync("cat", onlyHash)).AssertOneLineError("not");
        Assert.Empty(Directory.GetFiles(Path.Combine(_cli.RepoPath, "blocks"), "*.data", SearchOption.AllDirectories));

        var stored = (await _cli.RunAsync("add", "-Q", file)).AssertSuccess().Lines.Single();
        Assert.Equal(onlyHash, stored);
        Assert.Equal(content, (await _cli.RunAsync("cat", stored)).AssertSuccess().Output);
    }

    [Fact]
    public async Task Add_from_stdin_names_the_file_by_its_CID_and_quiet_forms_print_only_CIDs()
    {
        await _cli.InitAsync();
        var content = CliHarness.Utf8("hello world");
        var cid = Cid.Compute(Multicodec.Raw, content).ToString();

        Assert.Equal($"added {cid} {cid}\n", (await _cli.RunWithInputAsync(content, "add")).AssertSuccess().Text);
        Assert.Equal($"{cid}\n", (await _cli.RunWithInputAsync(content, "add", "-q")).AssertSuccess().Text);
        Assert.Equal($"{cid}\n", (await _cli.RunWithInputAsync(content, "add", "--quieter")).AssertSuccess().Text);
        var json = (await _cli.RunWithInputAsync(content, "add", "--json")).AssertSuccess();
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(cid, document.RootElement.GetProperty("Hash").GetString());
        Assert.Equal("11", document.RootElement.GetProperty("Size").GetString());
    }

    [Fact]
    public async Task Add_recursive_prints_children_before_directories_and_paths_resolve()
    {
        await _cli.InitAsync();
        var root = Path.Combine(_cli.Home, "site");
        Directory.CreateDirectory(Path.Combine(root, "sub", "empty"));
        File.WriteAllBytes(Path.Combine(root, "a.txt"), CliHarness.Utf8("A"));
        File.WriteAllBytes(Path.Combine(root, "sub", "b.bin"), CliHarness.RandomBytes(1_200_000, seed: 9));
        File.WriteAllBytes(Path.Combine(root, ".hidden"), CliHarness.Utf8("secret"));

        (await _cli.RunAsync("add", root)).AssertOneLineError("is a directory, use the '-r' flag");
        var add = (await _cli.RunAsync("add", "-r", root)).AssertSuccess();

        var names = add.Lines.Select(l => l.Split(' ', 3)[2]).ToArray();
        Assert.Equal(["site/a.txt", "site/sub/b.bin", "site/sub/empty", "site/sub", "site"], names);
        var rootCid = add.Lines[^1].Split(' ')[1];
        Assert.Equal(CliHarness.Utf8("A"), (await _cli.RunAsync("cat", $"{rootCid}/a.txt")).AssertSuccess().Output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "sub", "b.bin")), (await _cli.RunAsync("cat", $"/ipfs/{rootCid}/sub/b.bin")).AssertSuccess().Output);
        (await _cli.RunAsync("cat", $"{rootCid}/.hidden")).AssertOneLineError(".hidden");
        (await _cli.RunAsync("cat", rootCid)).AssertOneLineError("not a file");

        var withHidden = (await _cli.RunAsync("add", "-r", "-H", "-Q", root)).AssertSuccess().Lines.Single();
        Assert.Equal(CliHarness.Utf8("secret"), (await _cli.RunAsync("cat", $"{withHidden}/.hidden")).AssertSuccess().Output);
    }

    [Fact]
    public async Task Add_wrap_with_directory_puts_the_items_under_one_root()
    {
        await _cli.InitAsync();
        var a = _cli.WriteFile("a.txt", CliHarness.Utf8("first"));
        var b = _cli.WriteFile("b.txt", CliHarness.Utf8("second"));

        var add = (await _cli.RunAsync("add", "-w", a, b)).AssertSuccess();

        Assert.Equal(3, add.Lines.Length);
        Assert.EndsWith(" a.txt", add.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" b.txt", add.Lines[1], StringComparison.Ordinal);
        Assert.Matches("^added bafybei[a-z2-7]+$", add.Lines[2]);
        var wrapper = add.Lines[2]["added ".Length..];
        Assert.Equal(CliHarness.Utf8("second"), (await _cli.RunAsync("cat", $"{wrapper}/b.txt")).AssertSuccess().Output);
    }

    [Fact]
    public async Task Get_refuses_entry_names_that_would_leave_the_output_folder()
    {
        await _cli.InitAsync();
        var payload = CliHarness.Utf8("evil");
        var leaf = (await _cli.RunWithInputAsync(payload, "block", "put")).AssertSuccess().Lines.Single();
        var directoryData = new UnixFsData { Type = UnixFsType.Directory }.Encode();
        var hostile = DagPb.Encode(new DagPbNode([new DagPbLink(Cid.Parse(leaf), "..", 4)], directoryData));
        var directory = (await _cli.RunWithInputAsync(hostile, "block", "put", "--cid-codec", "dag-pb")).AssertSuccess().Lines.Single();
        var output = Path.Combine(_cli.Home, "out", "inner");

        var run = await _cli.RunAsync("get", directory, "-o", output);
        Assert.Contains("has an entry named \"..\"", run.Error, StringComparison.Ordinal);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFiles(Path.Combine(_cli.Home, "out")));
    }

    [Fact]
    public async Task Cat_honours_offset_and_length_across_files()
    {
        await _cli.InitAsync();
        var first = CliHarness.RandomBytes(1_500_000, seed: 1);
        var second = CliHarness.Utf8("0123456789");
        var a = (await _cli.RunAsync("add", "-Q", _cli.WriteFile("a", first))).AssertSuccess().Lines.Single();
        var b = (await _cli.RunAsync("add", "-Q", _cli.WriteFile("b", second))).AssertSuccess().Lines.Single();

        var middle = (await _cli.RunAsync("cat", a, "--offset", "1048570", "--length", "20")).AssertSuccess();
        var spanning = (await _cli.RunAsync("cat", a, b, "-o", "1499995", "-l", "8")).AssertSuccess();
        var pastFirst = (await _cli.RunAsync("cat", a, b, "-o", "1500004")).AssertSuccess();

        Assert.Equal(first[1_048_570..1_048_590], middle.Output);
        Assert.Equal([.. first[1_499_995..], .. second[..3]], spanning.Output);
        Assert.Equal(second[4..], pastFirst.Output);
    }

    [Fact]
    public async Task Get_writes_files_and_directory_trees()
    {
        await _cli.InitAsync();
        var root = Path.Combine(_cli.Home, "tree");
        Directory.CreateDirectory(Path.Combine(root, "deep", "er"));
        File.WriteAllBytes(Path.Combine(root, "top.txt"), CliHarness.Utf8("top"));
        File.WriteAllBytes(Path.Combine(root, "deep", "er", "data.bin"), CliHarness.RandomBytes(2_100_000, seed: 4));
        var cid = (await _cli.RunAsync("add", "-r", "-Q", root)).AssertSuccess().Lines.Single();

        var outTree = Path.Combine(_cli.Home, "copy");
        var get = (await _cli.RunAsync("get", cid, "-o", outTree)).AssertSuccess();
        var outFile = Path.Combine(_cli.Home, "one.bin");
        (await _cli.RunAsync("get", $"{cid}/deep/er/data.bin", "--output", outFile)).AssertSuccess();

        Assert.Equal($"Saving file(s) to {outTree}\n", get.Text);
        Assert.Equal("top", File.ReadAllText(Path.Combine(outTree, "top.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "deep", "er", "data.bin")), File.ReadAllBytes(Path.Combine(outTree, "deep", "er", "data.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "deep", "er", "data.bin")), File.ReadAllBytes(outFile));
    }

    [Fact]
    public async Task Missing_blocks_and_paths_are_one_line_errors()
    {
        await _cli.InitAsync();
        var absent = Cid.Compute(Multicodec.Raw, "absent"u8).ToString();
        var cid = (await _cli.RunWithInputAsync(CliHarness.Utf8("x"), "add", "-Q")).AssertSuccess().Lines.Single();

        (await _cli.RunAsync("cat", absent)).AssertOneLineError(absent);
        (await _cli.RunAsync("get", absent, "-o", Path.Combine(_cli.Home, "never"))).AssertOneLineError(absent);
        Assert.False(Path.Exists(Path.Combine(_cli.Home, "never")));
        (await _cli.RunAsync("cat", $"{cid}/child")).AssertOneLineError("not a directory");
        (await _cli.RunAsync("cat", "/ipns/example.com")).AssertOneLineError("invalid path");
        (await _cli.RunAsync("add", Path.Combine(_cli.Home, "nope.txt"))).AssertOneLineError("nope.txt");
    }
}
