using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Commands;

public sealed class DagCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Put_stores_dag_cbor_with_kubos_CID_and_get_prints_dag_json_without_newline()
    {
        await _cli.InitAsync();

        // `echo '{"hello":"world"}' | ipfs dag put` prints this CID.
        var put = (await _cli.RunWithInputAsync(CliHarness.Utf8("{\"hello\":\"world\"}\n"), "dag", "put")).AssertSuccess();
        Assert.Equal("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae\n", put.Text);

        var get = (await _cli.RunAsync("dag", "get", "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae")).AssertSuccess();
        Assert.Equal("{\"hello\":\"world\"}", get.Text);

        byte[] cbor = [0xa1, 0x65, .. "hello"u8, 0x65, .. "world"u8];
        var raw = (await _cli.RunAsync("block", "get", "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae")).AssertSuccess();
        Assert.Equal(cbor, raw.Output);
    }

    [Fact]
    public async Task Round_trip_keeps_links_bytes_and_numbers_and_paths_cross_links()
    {
        await _cli.InitAsync();
        var child = (await _cli.RunWithInputAsync(CliHarness.Utf8("{\"name\":\"child\",\"bytes\":{\"/\":{\"bytes\":\"AAEC\"}}}"), "dag", "put")).AssertSuccess().Lines.Single();
        var parentJson = $"{{\"child\":{{\"/\":\"{child}\"}},\"list\":[1,-2,3.5],\"nothing\":null,\"yes\":true}}";
        var parent = (await _cli.RunWithInputAsync(CliHarness.Utf8(parentJson), "dag", "put")).AssertSuccess().Lines.Single();

        var whole = (await _cli.RunAsync("dag", "get", parent)).AssertSuccess();
        var viaLink = (await _cli.RunAsync("dag", "get", $"{parent}/child")).AssertSuccess();
        var viaLinkAndKey = (await _cli.RunAsync("dag", "get", $"/ipfs/{parent}/child/name")).AssertSuccess();
        var listItem = (await _cli.RunAsync("dag", "get", $"{parent}/list/1")).AssertSuccess();

        // dag-json sorts map keys by length then bytewise, so the input order is the canonical one here.
        Assert.Equal(parentJson, whole.Text);
        Assert.Equal("{\"bytes\":{\"/\":{\"bytes\":\"AAEC\"}},\"name\":\"child\"}", viaLink.Text);
        Assert.Equal("\"child\"", viaLinkAndKey.Text);
        Assert.Equal("-2", listItem.Text);
        (await _cli.RunAsync("dag", "get", $"{parent}/missing")).AssertOneLineError("no \"missing\"");
    }

    [Fact]
    public async Task Codecs_can_be_chosen_for_input_storage_and_output()
    {
        await _cli.InitAsync();
        var json = CliHarness.Utf8("{\"a\":[1,2]}");

        var asJson = (await _cli.RunWithInputAsync(json, "dag", "put", "--store-codec", "dag-json", "--json")).AssertSuccess();
        var expected = Cid.Compute(Multicodec.DagJson, json);
        Assert.Equal($"{{\"Cid\":{{\"/\":\"{expected}\"}}}}\n", asJson.Text);

        var cbor = (await _cli.RunAsync("dag", "get", expected.ToString(), "--output-codec", "dag-cbor")).AssertSuccess();
        byte[] expectedCbor = [0xa1, 0x61, (byte)'a', 0x82, 0x01, 0x02];
        Assert.Equal(expectedCbor, cbor.Output);

        // Input in any key order is stored canonically (keys sorted), as kubo does.
        var unsorted = (await _cli.RunWithInputAsync(CliHarness.Utf8("{\"b\":1,\"a\":2}"), "dag", "put", "--store-codec", "dag-json")).AssertSuccess();
        Assert.Equal("{\"a\":2,\"b\":1}", (await _cli.RunAsync("block", "get", unsorted.Lines.Single())).AssertSuccess().Text);

        var fromCbor = (await _cli.RunWithInputAsync(expectedCbor, "dag", "put", "--input-codec", "dag-cbor")).AssertSuccess();
        Assert.Equal(Cid.Compute(Multicodec.DagCbor, expectedCbor).ToString(), fromCbor.Lines.Single());
    }

    [Fact]
    public async Task Raw_blocks_read_as_bytes()
    {
        await _cli.InitAsync();
        var cid = (await _cli.RunWithInputAsync([0, 1, 2], "block", "put")).AssertSuccess().Lines.Single();

        var get = (await _cli.RunAsync("dag", "get", cid)).AssertSuccess();

        Assert.Equal("{\"/\":{\"bytes\":\"AAEC\"}}", get.Text);
    }

    [Fact]
    public async Task Dag_pb_blocks_show_their_logical_form_and_can_be_stored_from_it()
    {
        await _cli.InitAsync();
        var folder = Path.Combine(_cli.Home, "folder");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "a.txt"), CliHarness.Utf8("A"));
        var directory = (await _cli.RunAsync("add", "-r", "-Q", folder)).AssertSuccess().Lines.Single();
        var leaf = Cid.Compute(Multicodec.Raw, "A"u8);

        var get = (await _cli.RunAsync("dag", "get", directory)).AssertSuccess();

        // UnixFS Data {Type: Directory} is 08 01, "CAE" in unpadded base64.
        var expected = $"{{\"Data\":{{\"/\":{{\"bytes\":\"CAE\"}}}},\"Links\":[{{\"Hash\":{{\"/\":\"{leaf}\"}},\"Name\":\"a.txt\",\"Tsize\":1}}]}}";
        Assert.Equal(expected, get.Text);
        Assert.Equal("\"a.txt\"", (await _cli.RunAsync("dag", "get", $"{directory}/Links/0/Name")).AssertSuccess().Text);
        var stored = (await _cli.RunWithInputAsync(get.Output, "dag", "put", "--store-codec", "dag-pb")).AssertSuccess();
        Assert.Equal(directory, stored.Lines.Single());
    }

    [Fact]
    public async Task Bad_input_and_missing_blocks_are_one_line_errors()
    {
        await _cli.InitAsync();

        (await _cli.RunWithInputAsync(CliHarness.Utf8("{\"a\":"), "dag", "put")).AssertOneLineError("dag-json");
        var absent = Cid.Compute(Multicodec.DagCbor, [0xa0]).ToString();
        (await _cli.RunAsync("dag", "get", absent)).AssertOneLineError($"block {absent} not found");
    }
}
