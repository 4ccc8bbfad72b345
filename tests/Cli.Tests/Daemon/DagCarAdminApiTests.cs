using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>block/rm</c>, <c>dag/put|get</c> and <c>dag/export|import</c> over raw HTTP, as a kubo RPC
/// client calls them: kubo's answer shapes, and hostile bodies refused with a 400 and a clear
/// message, leaving the store as it was.
/// </summary>
public sealed class DagCarAdminApiTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly CliHarness _source = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        await _source.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_daemon.ApiEndPoint.Port}/api/v0/");
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemon.StopAsync());
        // Every refusal was an answer, none a bug caught by the error handler.
        Assert.DoesNotContain("failed unexpectedly", _daemon.Error, StringComparison.Ordinal);
        await _daemon.DisposeAsync();
        _http.Dispose();
        _cli.Dispose();
        _source.Dispose();
    }

    [Fact]
    public async Task Dag_put_get_import_and_block_rm_answer_kubo_shapes()
    {
        var put = await TextAsync(await _http.PostAsync("dag/put?pin=true", Multipart(Encoding.UTF8.GetBytes("{\"a\":[1,2]}"), Encoding.UTF8.GetBytes("{\"b\":true}"))));
        var lines = put.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement.GetProperty("Cid").GetProperty("/").GetString()!;
        Assert.Equal(Multicodec.DagCbor, Cid.Parse(first).Codec);
        Assert.Contains($"{first} recursive\n", (await _cli.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text, StringComparison.Ordinal);
        Assert.Equal("[1,2]", await TextAsync(await _http.PostAsync($"dag/get?arg={first}/a", null)));

        var root = (await _source.RunAsync("add", "-Q", _source.WriteFile("f.bin", CliHarness.RandomBytes(1_200_000, seed: 5)))).AssertSuccess().Text.Trim();
        var car = (await _source.RunAsync("car", "export", root)).AssertSuccess().Output;
        var import = (await TextAsync(await _http.PostAsync("dag/import?stats=true", Multipart(car)))).TrimEnd('\n').Split('\n');
        Assert.Equal($"{{\"Root\":{{\"Cid\":{{\"/\":\"{root}\"}},\"PinErrorMsg\":\"\"}}}}", import[0]);
        Assert.StartsWith("{\"Stats\":{\"BlockCount\":3,\"BlockBytesCount\":", import[1], StringComparison.Ordinal);
        Assert.Equal(2, import.Length);
        Assert.Equal(car, await (await _http.PostAsync($"dag/export?arg={root}", null)).Content.ReadAsByteArrayAsync());

        var absent = Cid.Compute(Multicodec.Raw, "absent"u8);
        var rm = await TextAsync(await _http.PostAsync($"block/rm?arg={root}&arg={absent}", null));
        Assert.Equal($"{{\"Hash\":\"{root}\",\"Error\":\"pinned: recursive\"}}\n{{\"Hash\":\"{absent}\",\"Error\":\"block not found\"}}\n", rm);
        Assert.Equal($"{{\"Hash\":\"{absent}\"}}\n", await TextAsync(await _http.PostAsync($"block/rm?arg={absent}&force=true", null)));
    }

    [Theory]
    [InlineData("dag/put", "{not json", "dag-json")]
    [InlineData("dag/put?input-codec=dag-cbor", "\u00ff\u00ff", "dag-cbor")]
    [InlineData("dag/put?store-codec=raw", "{\"a\":1}", "expected Bytes")]
    [InlineData("dag/put?store-codec=dag-pb", "{\"a\":1}", "dag-pb")]
    [InlineData("dag/put?input-codec=git-raw", "{}", "unsupported input-codec")]
    [InlineData("dag/import", "not a CAR at all", "invalid CAR")]
    public async Task Bad_dag_and_CAR_bytes_are_a_400_that_stores_nothing(string command, string body, string message)
    {
        var before = await StatAsync();

        await AssertErrorAsync(await _http.PostAsync(command, Multipart(Encoding.Latin1.GetBytes(body))), HttpStatusCode.BadRequest, message);

        Assert.Equal(before, await StatAsync());
    }

    [Fact]
    public async Task A_tampered_or_cut_CAR_is_a_400_and_the_blocks_before_the_bad_one_are_taken_out_again()
    {
        var root = (await _source.RunAsync("add", "-Q", _source.WriteFile("f.bin", CliHarness.RandomBytes(2_600_000, seed: 9)))).AssertSuccess().Text.Trim();
        var car = (await _source.RunAsync("car", "export", root)).AssertSuccess().Output;
        var before = await StatAsync();
        var tampered = (byte[])car.Clone();
        tampered[^1] ^= 0x01;

        await AssertErrorAsync(await _http.PostAsync("dag/import", Multipart(tampered)), HttpStatusCode.BadRequest, "invalid CAR");
        Assert.Equal(before, await StatAsync());
        await AssertErrorAsync(await _http.PostAsync("dag/import", Multipart(car[..(car.Length - 1000)])), HttpStatusCode.BadRequest, "invalid CAR");
        Assert.Equal(before, await StatAsync());
        await AssertErrorAsync(await _http.PostAsync("dag/import", Multipart()), HttpStatusCode.BadRequest, "malformed");
        await AssertErrorAsync(await _http.PostAsync("dag/import", new StringContent("plain")), HttpStatusCode.BadRequest, "multipart/form-data");

        // The whole CAR still imports after all that.
        (await _cli.RunWithInputAsync(car, "car", "import")).AssertSuccess();
        var after = await StatAsync();
        Assert.Equal(before.Count + 4, after.Count);
        Assert.InRange(after.Bytes - before.Bytes, 2_600_000, car.Length);
    }

    [Fact]
    public async Task Oversized_bodies_and_bad_arguments_are_refused()
    {
        var before = await StatAsync();
        // 4 MiB of dag-json input is the most one node may take without allow-big-block.
        var huge = Encoding.ASCII.GetBytes("\"" + new string('x', (4 << 20) + 10) + "\"");
        await AssertErrorAsync(await _http.PostAsync("dag/put", Multipart(huge)), HttpStatusCode.BadRequest, "allow-big-block");
        var big = Encoding.ASCII.GetBytes("\"" + new string('x', (1 << 20) + 10) + "\"");
        await AssertErrorAsync(await _http.PostAsync("dag/put", Multipart(big)), HttpStatusCode.BadRequest, "over 1MiB");
        await AssertErrorAsync(await _http.PostAsync("dag/put", Multipart([.. Enumerable.Repeat("{}"u8.ToArray(), 17)])), HttpStatusCode.OK, "at most 16 nodes");
        Assert.Equal(before.Count + 1, (await StatAsync()).Count);

        await AssertErrorAsync(await _http.PostAsync("block/rm?arg=bafyNOPE", null), HttpStatusCode.BadRequest, "invalid CID");
        await AssertErrorAsync(await _http.PostAsync("block/rm", null), HttpStatusCode.BadRequest, "required");
        await AssertErrorAsync(await _http.PostAsync("dag/export?arg=bafyNOPE", null), HttpStatusCode.BadRequest, "invalid CID");
        await AssertErrorAsync(await _http.PostAsync($"dag/export?arg={Cid.Compute(Multicodec.Raw, "a"u8)}/sub", null), HttpStatusCode.BadRequest, "one block");
        await AssertErrorAsync(await _http.PostAsync("dag/get?arg=bafyNOPE/x", null), HttpStatusCode.BadRequest, "invalid CID");
        await AssertErrorAsync(await _http.PostAsync("dag/get", null), HttpStatusCode.BadRequest, "required");
    }

    private async Task<(long Count, long Bytes)> StatAsync()
    {
        var stat = JsonDocument.Parse(await TextAsync(await _http.PostAsync("repo/stat", null))).RootElement;
        return (stat.GetProperty("NumObjects").GetInt64(), stat.GetProperty("RepoSize").GetInt64());
    }

    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
            return body;
        }
    }

    private static MultipartFormDataContent Multipart(params byte[][] parts)
    {
        var content = new MultipartFormDataContent();
        foreach (var body in parts)
        {
            var part = new ByteArrayContent(body);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"data\"" };
            content.Add(part);
        }
        return content;
    }

    /// <summary>kubo's error shape; with <see cref="HttpStatusCode.OK"/>, as the last line of a stream that had begun.</summary>
    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body.TrimEnd('\n').Split('\n')[^1]);
            Assert.Equal("error", json.RootElement.GetProperty("Type").GetString());
            Assert.Contains(message, json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
    }
}
