using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Commands;

public sealed class CarCommandTests : IDisposable
{
    private readonly CliHarness _source = new();
    private readonly CliHarness _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    [Fact]
    public async Task Export_then_import_into_a_second_repo_then_cat()
    {
        await _source.InitAsync();
        await _target.InitAsync();
        var content = CliHarness.RandomBytes(2_600_000, seed: 11);
        var root = (await _source.RunAsync("add", "-Q", _source.WriteFile("movie.bin", content))).AssertSuccess().Lines.Single();

        var car = (await _source.RunAsync("car", "export", root)).AssertSuccess().Output;
        var carFile = _target.WriteFile("movie.car", car);
        (await _target.RunAsync("cat", root)).AssertOneLineError("not");
        var import = (await _target.RunAsync("car", "import", carFile)).AssertSuccess();

        // Three 1 MiB-or-less raw leaves and one dag-pb root.
        Assert.Equal($"Root\t{root}", import.Lines[0]);
        Assert.Matches(@"^Imported 4 blocks \(\d+ bytes\)$", import.Lines[1]);
        Assert.Equal(content, (await _target.RunAsync("cat", root)).AssertSuccess().Output);
        // CARv1: a varint-prefixed dag-cbor header {"roots": [root], "version": 1} first.
        Assert.Equal(0x3a, car[0]);
    }

    [Fact]
    public async Task Import_from_stdin_with_json_stats_and_dag_cbor_links_are_followed_on_export()
    {
        await _source.InitAsync();
        await _target.InitAsync();
        var leaf = (await _source.RunWithInputAsync(CliHarness.Utf8("{\"leaf\":true}"), "dag", "put")).AssertSuccess().Lines.Single();
        var parent = (await _source.RunWithInputAsync(CliHarness.Utf8($"{{\"l\":{{\"/\":\"{leaf}\"}}}}"), "dag", "put")).AssertSuccess().Lines.Single();
        var car = (await _source.RunAsync("car", "export", parent)).AssertSuccess().Output;

        var import = (await _target.RunWithInputAsync(car, "car", "import", "--json")).AssertSuccess();

        Assert.Equal($"{{\"Root\":{{\"Cid\":{{\"/\":\"{parent}\"}}}}}}", import.Lines[0]);
        Assert.StartsWith("{\"Stats\":{\"BlockCount\":2,", import.Lines[1], StringComparison.Ordinal);
        Assert.Equal("true", (await _target.RunAsync("dag", "get", $"{parent}/l/leaf")).AssertSuccess().Text);
    }

    [Fact]
    public async Task Export_of_an_incomplete_DAG_and_import_of_a_tampered_CAR_fail_with_one_line()
    {
        await _source.InitAsync();
        await _target.InitAsync();
        var absent = Cid.Compute(Multicodec.Raw, "absent"u8).ToString();
        (await _source.RunAsync("car", "export", absent)).AssertOneLineError(absent);

        var data = CliHarness.Utf8("block to tamper with");
        var cid = (await _source.RunWithInputAsync(data, "block", "put")).AssertSuccess().Lines.Single();
        var car = (await _source.RunAsync("car", "export", cid)).AssertSuccess().Output;
        car[^1] ^= 0xff;

        var run = await _target.RunWithInputAsync(car, "car", "import");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        (await _target.RunAsync("block", "stat", cid)).AssertOneLineError("not found");
    }

    [Fact]
    public async Task Import_pins_the_roots_unless_asked_not_to_and_a_root_it_cannot_pin_fails_after_the_lines()
    {
        await _source.InitAsync();
        await _target.InitAsync();
        var root = (await _source.RunAsync("add", "-Q", _source.WriteFile("f.bin", CliHarness.RandomBytes(1_500_000, seed: 3)))).AssertSuccess().Text.Trim();
        var car = (await _source.RunAsync("car", "export", root)).AssertSuccess().Output;

        (await _target.RunWithInputAsync(car, "car", "import", "--pin-roots=false")).AssertSuccess();
        Assert.Empty((await _target.RunAsync("pin", "ls")).AssertSuccess().Text);
        (await _target.RunWithInputAsync(car, "car", "import")).AssertSuccess();
        Assert.Equal($"{root} recursive\n", (await _target.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text);

        // A CAR holding only the root of a DAG: the blocks are stored, the root cannot be pinned.
        var rootCid = Cid.Parse(root);
        var rootBlock = (await _source.RunAsync("block", "get", root)).AssertSuccess().Output;
        using var partial = new MemoryStream();
        var writer = await Overlay.Manifest.Car.CarWriter.CreateAsync(partial, [rootCid]);
        await writer.WriteBlockAsync(rootCid, rootBlock);
        await writer.FlushAsync();
        using var third = new CliHarness();
        await third.InitAsync();

        var run = await third.RunWithInputAsync(partial.ToArray(), "car", "import");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Root\t{root}\nImported 1 blocks ({rootBlock.Length} bytes)\n", run.Text);
        Assert.StartsWith($"Error: pinning root {root} failed: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(rootBlock, (await third.RunAsync("block", "get", root)).AssertSuccess().Output);
    }
}
