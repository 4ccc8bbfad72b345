using System.Text.Json;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// kubo's own JS RPC client (kubo-rpc-client 7, tests/js/kubo-rpc-dag.mjs) against our daemon:
/// dag put (with --pin and another hash), dag get, dag export, dag import and block rm, as a
/// kubo user's tooling would call them.
/// </summary>
public sealed class KuboRpcClientDagTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly CliHarness _offline = new();
    private InProcessDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        await _offline.InitAsync();
        _daemon = await InProcessDaemon.StartAsync(_cli);
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _cli.Dispose();
        _offline.Dispose();
    }

    [Fact]
    public async Task Kubo_rpc_client_puts_gets_exports_imports_dags_and_removes_blocks_on_our_daemon()
    {
        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("kubo-rpc-dag.mjs", [$"http://127.0.0.1:{_daemon.ApiEndPoint.Port}"]);
        Assert.True(exitCode == 0, $"exit {exitCode}: {stdout} {stderr}");
        var answer = JsonDocument.Parse(stdout).RootElement;

        // The client encodes dag-cbor itself; our offline dag put of the same node in dag-json gets the same CID.
        var leaf = answer.GetProperty("leaf").GetString()!;
        Assert.Equal(leaf, (await _offline.RunWithInputAsync(CliHarness.Utf8("{\"leaf\":true,\"n\":[1,2]}"), "dag", "put")).AssertSuccess().Lines.Single());
        var parent = answer.GetProperty("parent").GetString()!;
        Assert.Equal("parent", answer.GetProperty("got").GetProperty("name").GetString());
        Assert.Equal(leaf, answer.GetProperty("got").GetProperty("child").GetString());
        var sha512 = Cid.Parse(answer.GetProperty("sha512").GetString()!);
        Assert.Equal(MultihashAlgorithm.Sha2_512.Code, sha512.Hash.Code);
        Assert.Equal(Cid.Parse(leaf).Hash.Digest.Length * 2, sha512.Hash.Digest.Length);

        var car = Convert.FromHexString(answer.GetProperty("car").GetString()!);
        Assert.Equal(car, (await _cli.RunAsync("car", "export", parent)).AssertSuccess().Output);
        var imported = answer.GetProperty("imported").EnumerateArray().Single();
        Assert.Equal(parent, imported.GetProperty("cid").GetString());
        Assert.Equal("", imported.GetProperty("pinErrorMsg").GetString());

        var rmPinned = answer.GetProperty("rmPinned").EnumerateArray().Single();
        Assert.Equal(parent, rmPinned.GetProperty("cid").GetString());
        Assert.Equal("pinned: recursive", rmPinned.GetProperty("error").GetString());
        var rmLoose = answer.GetProperty("rmLoose").EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, rmLoose.GetProperty("error").ValueKind);
        (await _cli.RunAsync("block", "stat", answer.GetProperty("loose").GetString()!)).AssertOneLineError("not");
        Assert.Equal($"{parent} recursive\n", (await _cli.RunAsync("pin", "ls", "--type=recursive")).AssertSuccess().Text);
    }
}
