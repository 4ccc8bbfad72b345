using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Overlay.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Xunit.Abstractions;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// The real daemon process SIGKILLed at random moments while clients add files and put blocks
/// through its RPC, several rounds, each restart on the same repo. Whatever the daemon
/// acknowledged must have survived whole: every acknowledged block is present and hashes to its
/// CID, every acknowledged add's DAG reads back to the bytes sent, and no block file under its
/// final <c>*.data</c> name holds anything but the bytes its name hashes.
/// </summary>
public sealed partial class DaemonCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 8;
    private const int Workers = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Everything_acknowledged_before_a_SIGKILL_is_there_whole_after_restart()
    {
        await _cli.InitAsync();
        var random = new Random(20261121);
        var blocks = new ConcurrentDictionary<string, byte[]>();
        var files = new ConcurrentDictionary<string, byte[]>();
        var refused = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await using var daemon = await DaemonProcess.StartAsync(_cli.RepoPath, InProcessDaemon.EphemeralPorts, StartTimeout);
            var api = ApiLine().Match(daemon.Output).Groups[1].Value;
            var endpoint = Overlay.Addressing.Multiaddr.Parse(api).ToTcpEndPoint()!;
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{endpoint.Port}/api/v0/"), Timeout = TimeSpan.FromSeconds(30) };
            using var stop = new CancellationTokenSource();
            var seeds = Enumerable.Range(0, Workers).Select(_ => random.Next()).ToArray();
            var workers = seeds.Select(seed => Task.Run(() => WorkAsync(http, new Random(seed), blocks, files, () => Interlocked.Increment(ref refused), stop.Token))).ToArray();
            await Task.Delay(random.Next(300, 1500));
            await daemon.KillAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        output.WriteLine($"{Rounds} kills; acknowledged: {blocks.Count} block puts, {files.Count} adds; requests cut by a kill: {refused}");
        Assert.True(blocks.Count > 0 && files.Count > 0, $"the workload got nothing acknowledged ({blocks.Count} blocks, {files.Count} files)");

        // A last start proves the repo still opens after the final kill; its store is then read directly.
        await using (var last = await DaemonProcess.StartAsync(_cli.RepoPath, InProcessDaemon.EphemeralPorts, StartTimeout))
        {
            await last.TerminateAsync(TimeSpan.FromSeconds(30));
        }
        var store = new FileBlockStore(Path.Combine(_cli.RepoPath, "blocks"));
        foreach (var (cid, data) in blocks)
        {
            var stored = await store.GetAsync(Cid.Parse(cid));
            Assert.True(stored is not null, $"acknowledged block {cid} is gone");
            Assert.Equal(data, stored.Value.ToArray());
        }
        var reader = new UnixFsReader(store);
        foreach (var (cid, data) in files)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await foreach (var chunk in reader.ReadAsync(Cid.Parse(cid)))
            {
                hash.AppendData(chunk.Span);
            }
            Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
        }
        var checkedFiles = 0;
        foreach (var file in Directory.EnumerateFiles(store.Root, "*.data", SearchOption.AllDirectories))
        {
            var multihash = Multihash.Decode(Multibase.DecodeBare(Path.GetFileNameWithoutExtension(file), MultibaseEncoding.Base32Upper));
            Assert.True(multihash.Matches(File.ReadAllBytes(file)), $"{file} does not hold the bytes its name hashes");
            checkedFiles++;
        }
        output.WriteLine($"{checkedFiles} block files checked");
    }

    /// <summary>Puts blocks and adds files until stopped; records what the daemon acknowledged in full.</summary>
    private static async Task WorkAsync(HttpClient http, Random random, ConcurrentDictionary<string, byte[]> blocks, ConcurrentDictionary<string, byte[]> files, Action refused, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (random.Next(3) == 0)
                {
                    var data = RandomBytes(random, random.Next(100_000, 3_000_000));
                    using var response = await http.PostAsync("add", Multipart(data), stop);
                    response.EnsureSuccessStatusCode();
                    var lines = (await response.Content.ReadAsStringAsync(stop)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    var root = JsonDocument.Parse(lines[^1]).RootElement;
                    if (root.TryGetProperty("Hash", out var hash))
                    {
                        files[hash.GetString()!] = data;
                    }
                }
                else
                {
                    var data = RandomBytes(random, random.Next(1, 400_000));
                    using var response = await http.PostAsync("block/put", Multipart(data), stop);
                    response.EnsureSuccessStatusCode();
                    var key = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop)).RootElement.GetProperty("Key").GetString()!;
                    blocks[key] = data;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or JsonException)
            {
                // Cut by the kill: not acknowledged, so nothing is expected of it.
                refused();
            }
        }
    }

    private static MultipartFormDataContent Multipart(byte[] data)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(data);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", "data.bin");
        return content;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _cli.Dispose();

    [GeneratedRegex(@"^RPC API server listening on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApiLine();
}
