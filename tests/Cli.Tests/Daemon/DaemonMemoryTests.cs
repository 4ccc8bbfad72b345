using System.Security.Cryptography;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// add, cat and get stream: the real daemon process runs with its managed heap capped well
/// below the file's size (DOTNET_GCHeapHardLimit), so any path that held the whole file (or
/// a copy per block) would fail with an OutOfMemoryException instead of passing.
/// </summary>
public sealed class DaemonMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long Size = 64L << 20;

    /// <summary>48 MiB: room for Kestrel, the host and a few 1 MiB blocks in flight, not for 64 MiB of file.</summary>
    private const string HeapLimit = "0x3000000";

    private readonly CliHarness _cli = new();

    [Fact]
    public async Task A_64_MiB_file_goes_in_and_out_of_a_daemon_with_a_48_MiB_heap()
    {
        await _cli.InitAsync();
        const ulong seed = 64;
        var file = Path.Combine(_cli.Home, "big.bin");
        await using (var source = DeterministicBytes.Open(seed, Size))
        await using (var target = File.Create(file))
        {
            await source.CopyToAsync(target);
        }
        string expected;
        await using (var source = DeterministicBytes.Open(seed, Size))
        {
            expected = Convert.ToHexStringLower(await SHA256.HashDataAsync(source));
        }
        await using var daemon = await DaemonProcess.StartAsync(_cli.RepoPath, InProcessDaemon.EphemeralPorts, TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit });

        var started = DateTime.UtcNow;
        var cid = (await _cli.RunAsync("add", "-Q", file)).AssertSuccess().Text.Trim();
        var added = DateTime.UtcNow - started;

        var copy = Path.Combine(_cli.Home, "copy.bin");
        started = DateTime.UtcNow;
        (await _cli.RunAsync("get", cid, "-o", copy)).AssertSuccess();
        var got = DateTime.UtcNow - started;
        await using (var read = File.OpenRead(copy))
        {
            Assert.Equal(expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));
        }

        // cat into a hash, not into memory here either.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashingStream(hash);
        var console = new CliConsole(new MemoryStream(), sink, new StringWriter());
        Assert.Equal(0, await _cli.CreateApp(console).RunAsync(["cat", cid, "--repo", _cli.RepoPath]));
        Assert.Equal(Size, sink.Length);
        Assert.Equal(expected, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.DoesNotContain("OutOfMemory", daemon.Error, StringComparison.Ordinal);
        output.WriteLine($"64 MiB with a {HeapLimit} heap: add {added.TotalSeconds:0.0} s, get {got.TotalSeconds:0.0} s");
    }

    public void Dispose() => _cli.Dispose();

    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            _length += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
