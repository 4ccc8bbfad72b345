using Overlay.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Blocks;

/// <summary>A temporary repo-like folder (blocks/, quarantine/, pins) with a store and pins over it.</summary>
internal sealed class BlockStoreFixture : IDisposable
{
    public BlockStoreFixture(long storageMax = BlockStoreOptions.DefaultStorageMax)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("overlay-blocks-").FullName;
        StorageMax = storageMax;
        (Store, Pins) = Open();
    }

    public string Directory { get; }

    public long StorageMax { get; }

    public FileBlockStore Store { get; private set; }

    public PinStore Pins { get; private set; }

    public string QuarantinePath => Path.Combine(Directory, "quarantine");

    /// <summary>A fresh store and pin set over the same folder, as after a restart.</summary>
    public (FileBlockStore Store, PinStore Pins) Open()
    {
        var store = new FileBlockStore(Path.Combine(Directory, "blocks"), new BlockStoreOptions { StorageMax = StorageMax, QuarantinePath = QuarantinePath });
        store.EnsureCreated();
        var pins = new PinStore(Directory, store);
        store.Retention = pins;
        return (store, pins);
    }

    public void Reopen() => (Store, Pins) = Open();

    public string PathOf(Cid cid) => Path.Combine(Store.Root, FileBlockStore.RelativePathOf(cid.Hash));

    public static (Cid Cid, byte[] Data) Raw(ulong seed, int size = 1024)
    {
        var data = DeterministicBytes.Generate(seed, size);
        return (Cid.Compute(Multicodec.Raw, data), data);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
