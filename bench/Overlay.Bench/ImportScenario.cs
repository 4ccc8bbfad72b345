using System.Buffers.Binary;

namespace Overlay.Bench;

/// <summary>
/// `overlay add` of a 1 GiB file (only-hash and into an on-disk repo) against Helia's UnixFS
/// importer with the same unixfs-v1-2025 profile, alternating runs; both must print the same CID.
/// </summary>
internal sealed class ImportScenario : IScenario
{
    private const long Size = 1L << 30;

    public string Name => "import";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var file = Path.Combine(context.WorkDir, "import-1GiB.bin");
        WriteDeterministicFile(file, Size);
        var onlyHash = new Samples();
        var toDisk = new Samples();
        var helia = new Samples();
        var onlyHashRss = new Samples();
        var heliaRss = new Samples();
        string? expectedCid = null;
        for (var run = 0; run < context.Runs; run++)
        {
            var repo = Path.Combine(context.WorkDir, $"repo-{run}");
            await ProcessRunner.RunAsync(context.OverlayCli, ["init", "--repo", repo]);

            var ours = await ProcessRunner.RunAsync(context.OverlayCli, ["add", "-Q", "-n", "--repo", repo, file]);
            onlyHash.Add(Size / 1e6 / ours.Elapsed.TotalSeconds);
            onlyHashRss.Add(ours.PeakRssKiB / 1024.0);
            expectedCid ??= ours.Stdout.Trim();
            Check(expectedCid, ours.Stdout, "overlay add -n");

            var theirs = await ProcessRunner.RunAsync(context.Node, [Path.Combine(context.JsDir, "unixfs.mjs"), file]);
            helia.Add(Size / 1e6 / theirs.Elapsed.TotalSeconds);
            heliaRss.Add(theirs.PeakRssKiB / 1024.0);
            Check(expectedCid, theirs.Stdout, "helia");

            var stored = await ProcessRunner.RunAsync(context.OverlayCli, ["add", "-Q", "--repo", repo, file]);
            toDisk.Add(Size / 1e6 / stored.Elapsed.TotalSeconds);
            Check(expectedCid, stored.Stdout, "overlay add");
            Directory.Delete(repo, recursive: true);
        }
        File.Delete(file);
        var sha = ReferenceScenario.Sha256MegabytesPerSecond;
        return
        [
            Rate("unixfs import 1 GiB, CID only (overlay add -n vs Helia importer)", onlyHash, helia, context,
                sha > 0 ? $"{onlyHash.Median / sha:P0} of one core's SHA-256 rate; process start included for both" : null),
            Rate("unixfs import 1 GiB into an on-disk repo (overlay add, fsync per block)", toDisk, null, context,
                sha > 0 ? $"{toDisk.Median / sha:P0} of one core's SHA-256 rate" : null),
            new BenchmarkRow("peak memory, unixfs import 1 GiB (lower is better)", "MiB", Math.Round(onlyHashRss.Median, 1), Math.Round(heliaRss.Median, 1), "Helia unixfs importer",
                Math.Round(heliaRss.Median / onlyHashRss.Median, 2), onlyHashRss.Count, context.Today)
            {
                OverlayMin = onlyHashRss.Min, OverlayMax = onlyHashRss.Max, PeerMin = heliaRss.Min, PeerMax = heliaRss.Max,
            },
        ];
    }

    private static BenchmarkRow Rate(string scenario, Samples ours, Samples? theirs, BenchContext context, string? note) =>
        new(scenario, "MB/s", Math.Round(ours.Median, 1), theirs is null ? null : Math.Round(theirs.Median, 1),
            theirs is null ? null : "Helia unixfs importer", theirs is null ? null : Math.Round(ours.Median / theirs.Median, 2), ours.Count, context.Today)
        {
            OverlayMin = ours.Min, OverlayMax = ours.Max, PeerMin = theirs?.Min, PeerMax = theirs?.Max, Note = note,
        };

    private static void Check(string expected, string output, string who)
    {
        if (output.Trim() != expected)
        {
            throw new InvalidOperationException($"{who} printed {output.Trim()}, expected {expected}");
        }
    }

    /// <summary>SplitMix64 seed 1, the generator tests/js/lib/splitmix64.mjs and the tests share.</summary>
    private static void WriteDeterministicFile(string path, long size)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var buffer = new byte[1 << 20];
        ulong state = 1;
        for (long written = 0; written < size; written += buffer.Length)
        {
            for (var i = 0; i < buffer.Length; i += 8)
            {
                state += 0x9E3779B97F4A7C15;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
                z ^= z >> 31;
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(i), z);
            }
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }
}
