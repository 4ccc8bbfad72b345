using System.Net;
using System.Text.Json;
using Overlay.Bridge.Ffmpeg;
using Overlay.Cli.Tests.Daemon;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// A stream published on daemon A gets an IPNS record under its key pointing at its head; daemon
/// B, connected to A, resolves the stream's address with <c>overlay name resolve</c> and serves
/// <c>/ipns/&lt;address&gt;</c> from its gateway: the signed head, byte for byte.
/// </summary>
public sealed class StreamNameTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_stream_published_on_A_resolves_by_name_on_B_and_its_gateway_serves_the_head()
    {
        var video = Path.Combine(A.Home, "clip.mp4");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "20", "-pix_fmt", "yuv420p", video]);
        (await A.RunAsync("key", "gen", "clip")).AssertSuccess();
        var publish = await A.RunAsync("publish", video, "--key", "clip").WaitAsync(Timeout);
        Assert.True(publish.ExitCode == 0, publish.Error);
        var address = publish.Lines.Single();
        using var streams = JsonDocument.Parse((await A.RunAsync("streams", "--json")).AssertSuccess().Text);
        var head = streams.RootElement.GetProperty("Streams")[0].GetProperty("Head").GetString()!;

        (await B.RunAsync("swarm", "connect", DaemonA.SwarmAddress.ToString())).AssertSuccess();
        var resolved = await B.RunAsync("name", "resolve", address).WaitAsync(Timeout);
        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.Equal($"/ipfs/{head}", resolved.Lines.Single());
        // The 12D3… form of the same name, and the /ipns/ prefix, resolve alike.
        var peerForm = PeerId.Parse(address).ToString();
        Assert.Equal($"/ipfs/{head}", (await B.RunAsync("name", "resolve", "/ipns/" + peerForm)).AssertSuccess().Lines.Single());

        using var http = new HttpClient { BaseAddress = new Uri($"http://{DaemonB.GatewayEndPoint}") };
        using var response = await http.GetAsync($"/ipns/{address}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.ipld.dag-cbor", response.Content.Headers.ContentType!.MediaType);
        Assert.True(Cid.Parse(head).Matches(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal($"\"{head}.dag-cbor\"", response.Headers.ETag!.ToString());
        Assert.StartsWith("public, max-age=", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        (await B.RunAsync("name", "resolve", "not-a-name")).AssertOneLineError("not an IPNS name");
    }
}
