using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Commands;

public sealed class BlockCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Put_prints_the_raw_CIDv1_that_kubo_prints()
    {
        await _cli.InitAsync();

        // `echo -n "hello world" | ipfs block put` (kubo ≥ 0.13) prints this CID.
        var put = (await _cli.RunWithInputAsync(CliHarness.Utf8("hello world"), "block", "put")).AssertSuccess();

        Assert.Equal("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\n", put.Text);
    }

    [Fact]
    public async Task Put_get_stat_round_trip_from_a_file()
    {
        await _cli.InitAsync();
        var data = CliHarness.RandomBytes(5000, seed: 1);
        var file = _cli.WriteFile("data.bin", data);

        var cid = (await _cli.RunAsync("block", "put", file)).AssertSuccess().Lines.Single();
        var get = (await _cli.RunAsync("block", "get", cid)).AssertSuccess();
        var stat = (await _cli.RunAsync("block", "stat", cid)).AssertSuccess();

        Assert.Equal(Cid.Compute(Multicodec.Raw, data).ToString(), cid);
        Assert.Equal(data, get.Output);
        Assert.Equal($"Key: {cid}\nSize: 5000\n", stat.Text);
    }

    [Fact]
    public async Task Put_with_a_codec_and_json_output()
    {
        await _cli.InitAsync();
        byte[] cbor = [0xa1, 0x61, 0x61, 0x01]; // {"a": 1}

        var put = (await _cli.RunWithInputAsync(cbor, "block", "put", "--cid-codec", "dag-cbor", "--json")).AssertSuccess();

        var cid = Cid.Compute(Multicodec.DagCbor, cbor);
        Assert.Equal($"{{\"Key\":\"{cid}\",\"Size\":4}}\n", put.Text);
        var stat = (await _cli.RunAsync("block", "stat", cid.ToString(), "--json")).AssertSuccess();
        Assert.Equal(put.Text, stat.Text);
    }

    [Fact]
    public async Task Get_accepts_an_ipfs_path_and_a_CIDv0_of_the_same_hash()
    {
        await _cli.InitAsync();
        byte[] emptyDirectory = [0x0a, 0x02, 0x08, 0x01];
        (await _cli.RunWithInputAsync(emptyDirectory, "block", "put", "--cid-codec", "dag-pb")).AssertSuccess();

        var viaPath = (await _cli.RunAsync("block", "get", "/ipfs/QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn")).AssertSuccess();

        Assert.Equal(emptyDirectory, viaPath.Output);
    }

    [Fact]
    public async Task Identity_CIDs_are_served_from_the_CID_itself()
    {
        await _cli.InitAsync();
        var cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "hello"u8)).ToString();

        Assert.Equal("hello"u8.ToArray(), (await _cli.RunAsync("block", "get", cid)).AssertSuccess().Output);
        Assert.Equal($"Key: {cid}\nSize: 5\n", (await _cli.RunAsync("block", "stat", cid)).AssertSuccess().Text);
    }

    [Fact]
    public async Task Put_refuses_blocks_over_one_MiB_unless_allowed()
    {
        await _cli.InitAsync();
        var exactlyOneMiB = new byte[1024 * 1024];
        var overOneMiB = new byte[1024 * 1024 + 1];

        (await _cli.RunWithInputAsync(exactlyOneMiB, "block", "put")).AssertSuccess();
        (await _cli.RunWithInputAsync(overOneMiB, "block", "put")).AssertOneLineError("--allow-big-block");
        var allowed = (await _cli.RunWithInputAsync(overOneMiB, "block", "put", "--allow-big-block")).AssertSuccess();
        Assert.Equal(Cid.Compute(Multicodec.Raw, overOneMiB).ToString(), allowed.Lines.Single());
    }

    [Fact]
    public async Task Rm_removes_and_reports_like_kubo()
    {
        await _cli.InitAsync();
        var cid = (await _cli.RunWithInputAsync(CliHarness.Utf8("bye"), "block", "put")).AssertSuccess().Lines.Single();

        var removed = (await _cli.RunAsync("block", "rm", cid)).AssertSuccess();
        Assert.Equal($"removed {cid}\n", removed.Text);

        (await _cli.RunAsync("block", "get", cid)).AssertOneLineError("not found");
        (await _cli.RunAsync("block", "rm", cid)).AssertOneLineError($"cannot remove {cid}");
        (await _cli.RunAsync("block", "rm", "-f", cid)).AssertSuccess();
    }

    [Fact]
    public async Task Rm_keeps_pinned_blocks_as_kubo_does()
    {
        await _cli.InitAsync();
        var root = (await _cli.RunAsync("add", "-Q", _cli.WriteFile("f.bin", CliHarness.RandomBytes(1_500_000, seed: 8)))).AssertSuccess().Text.Trim();
        var leaf = (await _cli.RunAsync("pin", "ls", "--type=indirect")).AssertSuccess().Lines[0].Split(' ')[0];

        (await _cli.RunAsync("block", "rm", root)).AssertOneLineError($"cannot remove {root}: pinned: recursive");
        (await _cli.RunAsync("block", "rm", "-f", leaf)).AssertOneLineError($"cannot remove {leaf}: pinned: indirect");

        (await _cli.RunAsync("pin", "rm", root)).AssertSuccess();
        Assert.Equal($"removed {root}\n", (await _cli.RunAsync("block", "rm", root)).AssertSuccess().Text);
    }

    [Fact]
    public async Task Rm_of_several_blocks_with_one_missing_lists_it_and_fails()
    {
        await _cli.InitAsync();
        var present = (await _cli.RunWithInputAsync(CliHarness.Utf8("here"), "block", "put")).AssertSuccess().Lines.Single();
        var absent = Cid.Compute(Multicodec.Raw, "not here"u8).ToString();

        var run = await _cli.RunAsync("block", "rm", present, absent);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"removed {present}\n", run.Text);
        Assert.Equal($"cannot remove {absent}: block not found\nError: some blocks not removed\n", run.Error);
    }

    [Fact]
    public async Task Missing_block_bad_CID_and_missing_repo_are_one_line_errors()
    {
        var absent = Cid.Compute(Multicodec.Raw, "nothing"u8).ToString();

        (await _cli.RunAsync("block", "get", absent)).AssertOneLineError($"no repo at {_cli.RepoPath}: run `overlay init`");
        await _cli.InitAsync();
        (await _cli.RunAsync("block", "get", absent)).AssertOneLineError($"block {absent} not found");
        (await _cli.RunAsync("block", "stat", "not-a-cid")).AssertOneLineError("invalid CID \"not-a-cid\"");
        (await _cli.RunAsync("block", "get", "bafyWRONG")).AssertOneLineError("invalid CID");
    }

    [Fact]
    public async Task Corrupt_block_on_disk_is_reported_not_served()
    {
        await _cli.InitAsync();
        var data = CliHarness.Utf8("precious");
        var cid = Cid.Compute(Multicodec.Raw, data);
        (await _cli.RunWithInputAsync(data, "block", "put")).AssertSuccess();
        var file = Path.Combine(_cli.RepoPath, "blocks", Overlay.Blocks.FileBlockStore.RelativePathOf(cid.Hash));
        File.WriteAllBytes(file, CliHarness.Utf8("tampered"));

        // Quarantined (bytes kept for inspection) and reported missing, so a daemon would refetch it.
        (await _cli.RunAsync("block", "get", cid.ToString())).AssertOneLineError("not found");
        Assert.False(File.Exists(file));
        Assert.Equal(CliHarness.Utf8("tampered"), File.ReadAllBytes(Assert.Single(Directory.GetFiles(Path.Combine(_cli.RepoPath, "quarantine")))));
    }
}
