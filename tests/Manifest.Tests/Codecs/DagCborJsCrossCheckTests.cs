using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Ipld;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Codecs;

/// <summary>
/// Random documents through the real @ipld/dag-cbor and @ipld/dag-json (tests/js/dagcbor.mjs):
/// both implementations must produce the same bytes and CIDs, line by line.
/// </summary>
public sealed class DagCborJsCrossCheckTests
{
    private const int Count = 300;

    private static IReadOnlyList<IpldNode> Documents()
    {
        var random = new RandomIpld(20_251_121);
        return Enumerable.Range(0, Count).Select(_ => random.Next()).ToList();
    }

    [Fact]
    public void Corpus_covers_every_kind_and_the_integer_edges()
    {
        var all = Documents().SelectMany(Walk).ToList();
        Assert.All(Enum.GetValues<IpldKind>(), kind => Assert.Contains(all, n => n.Kind == kind));
        var integers = all.OfType<IpldInteger>().Select(i => i.Value).ToHashSet();
        Assert.Contains(IpldInteger.MaxValue, integers);
        Assert.Contains(IpldInteger.MinValue, integers);
        Assert.Contains(integers, i => i > long.MaxValue);
        Assert.Contains(integers, i => i > (1L << 53) && i <= long.MaxValue);
        Assert.Contains(all, n => n is IpldString s && s.Value.Any(char.IsSurrogate));
        Assert.Contains(all, n => n is IpldMap { Count: > 2 });
        Assert.Contains(all, n => n is IpldLink l && l.Cid.Version == 0);
    }

    [Fact]
    public async Task Our_dag_cbor_bytes_and_cids_equal_js_for_the_same_dag_json()
    {
        var documents = Documents();
        var input = string.Join('\n', documents.Select(DagJson.Encode)) + "\n";

        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("dagcbor.mjs", ["encode"], input);

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count, lines.Length);
        for (var i = 0; i < Count; i++)
        {
            var expected = $"{Convert.ToHexStringLower(DagCbor.Encode(documents[i]))} {DagCbor.ComputeCid(documents[i])}";
            Assert.True(expected == lines[i], $"document {i}: {DagJson.Encode(documents[i])}\n ours: {expected}\n   js: {lines[i]}");
        }
    }

    [Fact]
    public async Task Js_accepts_our_dag_cbor_as_canonical_and_writes_our_dag_json()
    {
        var documents = Documents();
        var input = string.Join('\n', documents.Select(d => Convert.ToHexStringLower(DagCbor.Encode(d)))) + "\n";

        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("dagcbor.mjs", ["decode-canonical"], input);

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count, lines.Length);
        for (var i = 0; i < Count; i++)
        {
            var ours = DagJson.Encode(documents[i]);
            Assert.True(ours == lines[i], $"document {i}\n ours: {ours}\n   js: {lines[i]}");
            Assert.Equal(documents[i], DagJson.Decode(lines[i]));
        }
    }

    private static IEnumerable<IpldNode> Walk(IpldNode node) => node switch
    {
        IpldList list => list.Items.SelectMany(Walk).Prepend(node),
        IpldMap map => map.Entries.SelectMany(e => Walk(e.Value)).Prepend(node),
        _ => [node],
    };
}
