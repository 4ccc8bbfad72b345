using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// The data commands of the admin API over raw HTTP, as a kubo RPC client would call them:
/// kubo's multipart uploads and answer shapes, and hostile uploads refused with a clear error.
/// </summary>
public sealed class AdminDataApiTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_daemon.ApiEndPoint.Port}/api/v0/");
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _http.Dispose();
        _cli.Dispose();
    }

    [Fact]
    public async Task Add_takes_kubo_directory_parts_and_answers_a_line_per_entry_children_first()
    {
        using var upload = Multipart(
            ("dir", "application/x-directory", null),
            ("dir%2Fa.txt", "application/octet-stream", "alpha"),
            ("dir%2Fsub", "application/x-directory", null),
            ("dir%2Fsub%2Fb%20c.txt", "application/octet-stream", "beta"),
            ("dir%2Fl", "application/symlink", "a.txt"),
            ("top.txt", "application/octet-stream", "top"));
        using var response = await _http.PostAsync("add?cid-version=1&raw-leaves=true&wrap-with-directory=true", upload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        // Files as they stream in, then the directories, each after what is in it (kubo's order).
        Assert.Equal(["dir/a.txt", "dir/sub/b c.txt", "dir/l", "top.txt", "dir/sub", "dir", ""], lines.Select(l => l.GetProperty("Name").GetString()));
        Assert.All(lines, l => Assert.True(ulong.Parse(l.GetProperty("Size").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0));
        var root = lines[^1].GetProperty("Hash").GetString()!;

        using var cat = await _http.PostAsync($"cat?arg=/ipfs/{root}/dir/sub/b%20c.txt&arg={root}/top.txt&offset=2&length=4", null);
        Assert.Equal("tato", await cat.Content.ReadAsStringAsync());

        using var get = await _http.PostAsync($"get?arg={root}/dir", null);
        Assert.Equal("application/x-tar", get.Content.Headers.ContentType?.MediaType);
        var entries = new List<string>();
        await using (var tar = new TarReader(await get.Content.ReadAsStreamAsync()))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                entries.Add($"{entry.EntryType} {entry.Name} {entry.LinkName}{(entry.DataStream is { } d ? new StreamReader(d).ReadToEnd() : "")}".TrimEnd());
            }
        }
        Assert.Equal(["Directory dir", "RegularFile dir/a.txt alpha", "SymbolicLink dir/l a.txt", "Directory dir/sub", "RegularFile dir/sub/b c.txt beta"], entries);
    }

    [Theory]
    [InlineData("..", "application/octet-stream", "is not a valid name")]
    [InlineData("a%2F..%2Fb", "application/octet-stream", "is not a valid name")]
    [InlineData("", "application/x-directory", "a directory part needs a name")]
    public async Task Add_refuses_hostile_part_names(string name, string type, string message)
    {
        using var upload = Multipart((name, type, type == "application/x-directory" ? null : "x"));
        using var response = await _http.PostAsync("add", upload);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Add_creates_implied_directories_as_kubo_clients_expect_and_refuses_a_name_used_twice()
    {
        // kubo-rpc-client sends no part for "a" or "a/b": they are implied by the paths, in any order.
        using var upload = Multipart(("a%2Fb%2Fone", "application/octet-stream", "1"), ("c", "application/octet-stream", "3"), ("a%2Ftwo", "application/octet-stream", "2"));
        using var response = await _http.PostAsync("add", upload);
        var names = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Name").GetString());
        Assert.Equal(["a/b/one", "c", "a/two", "a/b", "a"], names);

        using (var twice = Multipart(("x", "application/octet-stream", "1"), ("x", "application/octet-stream", "2")))
        {
            await AssertErrorLineAsync(await _http.PostAsync("add", twice), "names \"x\" twice");
        }
        using (var both = Multipart(("x", "application/octet-stream", "1"), ("x%2Fy", "application/octet-stream", "2")))
        {
            await AssertErrorLineAsync(await _http.PostAsync("add", both), "both a file and a directory");
        }
    }

    [Fact]
    public async Task Add_refuses_other_profiles_and_bodies_that_are_not_multipart()
    {
        using (var upload = Multipart(("f", "application/octet-stream", "x")))
        using (var response = await _http.PostAsync("add?cid-version=0", upload))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "unixfs-v1-2025 profile only");
        }
        using (var response = await _http.PostAsync("add", new StringContent("plain")))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "multipart/form-data");
        }
        using (var response = await _http.PostAsync("add", Multipart()))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "multipart body is malformed");
        }
    }

    [Fact]
    public async Task Block_put_get_stat_answer_kubo_shapes_and_missing_or_bad_arguments_are_errors()
    {
        using var put = await _http.PostAsync("block/put?cid-codec=dag-cbor", Multipart(("data", "application/octet-stream", "\u00a0")));
        using var json = JsonDocument.Parse(await put.Content.ReadAsStringAsync());
        var key = json.RootElement.GetProperty("Key").GetString()!;
        Assert.Equal(Multicodec.DagCbor, Cid.Parse(key).Codec);
        Assert.Equal(2, json.RootElement.GetProperty("Size").GetInt32());
        using var get = await _http.PostAsync($"block/get?arg={key}", null);
        Assert.Equal(Encoding.UTF8.GetBytes("\u00a0"), await get.Content.ReadAsByteArrayAsync());

        await AssertErrorAsync(await _http.PostAsync("block/put?cid-codec=git-raw", Multipart(("d", "application/octet-stream", "x"))), HttpStatusCode.BadRequest, "unsupported cid-codec");
        await AssertErrorAsync(await _http.PostAsync("block/put", Multipart()), HttpStatusCode.BadRequest, "multipart body is malformed");
        await AssertErrorAsync(await _http.PostAsync("block/stat?arg=bafyNOPE", null), HttpStatusCode.BadRequest, "invalid CID");
    }

    [Fact]
    public async Task Pubsub_topics_travel_multibase_and_ls_lists_them_so()
    {
        var topic = Multibase.Encode(Encoding.UTF8.GetBytes("t/ö"), MultibaseEncoding.Base64Url);
        using var sub = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"pubsub/sub?arg={topic}"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, sub.StatusCode);
        using var ls = JsonDocument.Parse(await (await _http.PostAsync("pubsub/ls", null)).Content.ReadAsStringAsync());
        Assert.Equal([topic], ls.RootElement.GetProperty("Strings").EnumerateArray().Select(s => s.GetString()));
        using var pub = await _http.PostAsync($"pubsub/pub?arg={topic}", Multipart(("data", "application/octet-stream", "hi")));
        Assert.Equal(HttpStatusCode.OK, pub.StatusCode);

        await AssertErrorAsync(await _http.PostAsync("pubsub/pub?arg=not%20multibase", Multipart(("d", "application/octet-stream", "x"))), HttpStatusCode.BadRequest, "multibase");
        await AssertErrorAsync(await _http.PostAsync($"pubsub/pub?arg={Multibase.Encode([0xff, 0xfe], MultibaseEncoding.Base64Url)}", Multipart(("d", "application/octet-stream", "x"))), HttpStatusCode.BadRequest, "not UTF-8");
    }

    private static MultipartFormDataContent Multipart(params (string Name, string Type, string? Body)[] parts)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, type, body) in parts)
        {
            var part = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body));
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            // The name as go's multipart writer sends it, already escaped.
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = $"\"{name}\"" };
            content.Add(part);
        }
        return content;
    }

    /// <summary>A failure after the first answered line: status 200, and a last line in kubo's error shape.</summary>
    private static async Task AssertErrorLineAsync(HttpResponseMessage response, string message)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var last = JsonDocument.Parse((await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
            Assert.Equal("error", last.GetProperty("Type").GetString());
            Assert.Contains(message, last.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Equal("error", json.RootElement.GetProperty("Type").GetString());
            Assert.Contains(message, json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
    }
}
