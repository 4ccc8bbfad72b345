using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Blocks;

/// <summary><see cref="PinStore.CollectAsync"/>: a failed import's undo takes only what nothing else has come to use.</summary>
public sealed class PinStoreCollectSomeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-collect-some-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Removes_the_candidates_no_pin_reaches_and_no_operation_holds_and_nothing_else()
    {
        var blocks = new FileBlockStore(Path.Combine(_root, "blocks"));
        blocks.EnsureCreated();
        var pins = new PinStore(_root, blocks);
        var cids = new List<Cid>();
        for (var i = 0; i < 4; i++)
        {
            var data = CliHarness.RandomBytes(1_000 + i, seed: i);
            var cid = Cid.Compute(Multicodec.Raw, data);
            await blocks.PutAsync(cid, data);
            cids.Add(cid);
        }
        await pins.AddAsync(cids[0], recursive: true);
        using var other = blocks.BeginOperation();
        other.Lease(cids[1]);

        // cids[3] is not a candidate: an unpinned block outside the failed import stays too.
        var removed = await pins.CollectAsync([cids[0], cids[1], cids[2]]);

        Assert.Equal(1, removed);
        Assert.True(await blocks.HasAsync(cids[0]));
        Assert.True(await blocks.HasAsync(cids[1]));
        Assert.False(await blocks.HasAsync(cids[2]));
        Assert.True(await blocks.HasAsync(cids[3]));
        Assert.Equal(3, blocks.Count);
    }
}
