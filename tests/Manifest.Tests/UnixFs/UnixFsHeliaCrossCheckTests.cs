using Overlay.Manifest.Blocks;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.UnixFs;

/// <summary>
/// Our importer against Helia itself (tests/js/unixfs.mjs, the unixfs-v1-2025 settings) on the
/// same SplitMix64 bytes: the root CIDs must be equal.
/// </summary>
[Collection(LargeImportCollection.Name)]
public sealed class UnixFsHeliaCrossCheckTests
{
    public static TheoryData<long, ulong> Cases() => new()
    {
        { 0, 1 },
        { 1, 1 },
        { 1_048_575, 1 },
        { 1_048_576, 1 },
        { 1_048_577, 1 },
        { 3 * 1_048_576 + 5, 9 },
        { 7_654_321, 21 },
        { 300 * 1_048_576 + 12_345, 77 },
        { 1_073_741_824, 1 },
        { 1_073_741_825, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RootCidEqualsHelias(long size, ulong seed)
    {
        var helia = RunHeliaAsync(size, seed);
        var ours = await new UnixFsImporter(new DiscardingBlockStore()).ImportFileAsync(DeterministicBytes.Open(seed, size));
        Assert.Equal(await helia, ours.Cid.ToString());
    }

    [Fact]
    public async Task BlocksAndOrderOfTheTwoLevelCaseEqualHelias()
    {
        var store = new MemoryBlockStore();
        var ours = await new UnixFsImporter(store).ImportFileAsync(DeterministicBytes.Open(3, 3 * 1_048_576 + 5));
        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("unixfs.mjs", ["--size", (3 * 1_048_576 + 5).ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--blocks"]);
        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ours.Cid.ToString(), lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ');
            var cid = Overlay.Manifest.Multiformats.Cid.Parse(parts[0]);
            Assert.Equal(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), await store.GetSizeAsync(cid));
        }
        Assert.Equal(lines.Length - 1, store.Count);
    }

    private static async Task<string> RunHeliaAsync(long size, ulong seed)
    {
        var (exitCode, stdout, stderr) = await JsPeer.RunAsync(
            "unixfs.mjs",
            ["--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, stderr);
        return stdout.Trim();
    }
}
