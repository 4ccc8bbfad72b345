using System.Diagnostics;
using System.Text.Json;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Ipld;

namespace Overlay.Bench;

/// <summary>dag-cbor encode and decode of a bundle-like 10-field map: ours against @ipld/dag-cbor.</summary>
internal sealed class DagCborScenario : IScenario
{
    public string Name => "dag-cbor";

    /// <summary>The same document tests/js/bench-dagcbor.mjs builds.</summary>
    public static IpldMap Document() => Overlay.Bench.Shared.BenchDocuments.BundleLikeMap();

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var iterations = context.Quick ? 200_000 : 1_000_000;
        var document = Document();
        var bytes = DagCbor.Encode(document);
        var encode = new Samples();
        var decode = new Samples();
        var jsEncode = new Samples();
        var jsDecode = new Samples();
        for (var run = 0; run < context.Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                DagCbor.Encode(document);
            }
            encode.Add(iterations / watch.Elapsed.TotalSeconds);
            watch.Restart();
            for (var i = 0; i < iterations; i++)
            {
                DagCbor.Decode(bytes);
            }
            decode.Add(iterations / watch.Elapsed.TotalSeconds);

            var js = await ProcessRunner.RunAsync(context.Node, [Path.Combine(context.JsDir, "bench-dagcbor.mjs"), iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var result = JsonDocument.Parse(js.Stdout);
            if (result.RootElement.GetProperty("hex").GetString() != Convert.ToHexStringLower(bytes))
            {
                throw new InvalidOperationException("@ipld/dag-cbor encodes the benchmark document differently");
            }
            jsEncode.Add(result.RootElement.GetProperty("encodeOpsPerSec").GetDouble());
            jsDecode.Add(result.RootElement.GetProperty("decodeOpsPerSec").GetDouble());
        }
        return
        [
            Row("dag-cbor encode, 10-field map", encode, jsEncode, context),
            Row("dag-cbor decode, 10-field map", decode, jsDecode, context),
        ];
    }

    private static BenchmarkRow Row(string scenario, Samples ours, Samples theirs, BenchContext context) =>
        new(scenario, "ops/s", Math.Round(ours.Median), Math.Round(theirs.Median), "@ipld/dag-cbor", Math.Round(ours.Median / theirs.Median, 2), ours.Count, context.Today)
        {
            OverlayMin = ours.Min, OverlayMax = ours.Max, PeerMin = theirs.Min, PeerMax = theirs.Max,
        };
}
