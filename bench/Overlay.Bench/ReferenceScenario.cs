using System.Diagnostics;
using System.Security.Cryptography;

namespace Overlay.Bench;

/// <summary>Physical limits on this machine, measured in the same run: SHA-256 and ChaCha20-Poly1305 on one core.</summary>
internal sealed class ReferenceScenario : IScenario
{
    private const int Chunk = 1 << 20;

    public string Name => "reference";

    public static double Sha256MegabytesPerSecond { get; private set; }

    public Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var data = new byte[Chunk];
        new Random(1).NextBytes(data);
        var totalMiB = context.Quick ? 256 : 1024;
        var sha = new Samples();
        var chacha = new Samples();
        Span<byte> digest = stackalloc byte[32];
        var output = new byte[Chunk];
        var tag = new byte[16];
        using var aead = new ChaCha20Poly1305(new byte[32]);
        var nonce = new byte[12];
        for (var run = 0; run < context.Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < totalMiB; i++)
            {
                SHA256.HashData(data, digest);
            }
            sha.Add(totalMiB * 1.048576 / watch.Elapsed.TotalSeconds);
            watch.Restart();
            for (var i = 0; i < totalMiB; i++)
            {
                aead.Encrypt(nonce, data, output, tag);
            }
            chacha.Add(totalMiB * 1.048576 / watch.Elapsed.TotalSeconds);
        }
        Sha256MegabytesPerSecond = sha.Median;
        IReadOnlyList<BenchmarkRow> rows =
        [
            Row("reference: SHA-256, one core", sha, context),
            Row("reference: ChaCha20-Poly1305 encrypt, one core", chacha, context),
        ];
        return Task.FromResult(rows);
    }

    private static BenchmarkRow Row(string scenario, Samples samples, BenchContext context) =>
        new(scenario, "MB/s", Math.Round(samples.Median, 1), null, null, null, samples.Count, context.Today)
        {
            OverlayMin = samples.Min,
            OverlayMax = samples.Max,
        };
}
