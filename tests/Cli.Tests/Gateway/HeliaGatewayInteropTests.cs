using System.Security.Cryptography;
using System.Text.Json;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// Helia as a trustless-gateway client of ours: a light Helia node whose only block source is
/// this gateway (@helia/trustless-gateway-client asks <c>?format=raw</c> with
/// <c>Accept: application/vnd.ipld.raw</c> and verifies each block) reads a multi-block file
/// byte-exact.
/// </summary>
public sealed class HeliaGatewayInteropTests
{
    [Fact]
    public async Task Helia_reads_a_file_through_our_trustless_gateway()
    {
        await using var gw = await GatewayNode.StartAsync();
        var content = DeterministicBytes.Generate(21, 3 * 1024 * 1024 + 777);
        var cid = await gw.AddAsync(content);

        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("helia-gateway-fetch.mjs", [$"http://127.0.0.1:{gw.Port}", cid.ToString()]);
        Assert.True(exitCode == 0, stderr);
        using var answer = JsonDocument.Parse(stdout.Trim());
        Assert.Equal(content.Length, answer.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), answer.RootElement.GetProperty("sha256").GetString());
        // Root and four leaves, each fetched as a raw block.
        Assert.True(gw.Gateway.Metrics.Responses[("ipfs", 200)] >= 5);
    }
}
