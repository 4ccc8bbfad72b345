using System.Globalization;
using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using static Overlay.Manifest.Tests.Car.CarTestFiles;

namespace Overlay.Manifest.Tests.Car;

public sealed class CarRoundTripTests
{
    private const int MiB = 1024 * 1024;

    private static async Task<(MemoryBlockStore Store, Cid Root, byte[] Content)> ImportFileAsync(int size, ulong seed)
    {
        var content = DeterministicBytes.Generate(seed, size);
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store).ImportFileAsync(new MemoryStream(content));
        return (store, result.Cid, content);
    }

    [Fact]
    public async Task ExportedFileReadsBackInOrderAndImportsIntoAFreshStore()
    {
        var (store, root, content) = await ImportFileAsync(3 * MiB + 5, 31);
        var car = new MemoryStream();
        Assert.Equal(5, await CarExporter.ExportAsync(store, root, car));
        var (reader, blocks) = await ReadAllAsync(car.ToArray());
        Assert.Equal(root, Assert.Single(reader.Roots));
        Assert.Equal(root, blocks[0].Cid);
        Assert.All(blocks.Skip(1), b => Assert.Equal(Multicodec.Raw, b.Cid.Codec));

        var fresh = new MemoryBlockStore();
        var header = await CarImporter.ImportAsync(new MemoryStream(car.ToArray()), fresh);
        Assert.Equal([root], header.Roots);
        Assert.Equal(content, await Tests.UnixFs.UnixFsImporterTests.ReadAllAsync(new UnixFsReader(fresh), root));
    }

    [Fact]
    public async Task JsCarReadsWhatWeExport()
    {
        var (store, root, _) = await ImportFileAsync(2 * MiB + 100, 32);
        var path = Path.Combine(Path.GetTempPath(), $"overlay-car-{Guid.NewGuid():N}.car");
        try
        {
            await using (var file = File.Create(path))
            {
                await CarExporter.ExportAsync(store, root, file);
            }
            var (exitCode, stdout, stderr) = await JsPeer.RunAsync("car.mjs", ["read", path]);
            Assert.True(exitCode == 0, stdout + stderr);
            var (_, blocks) = await ReadAllAsync(await File.ReadAllBytesAsync(path));
            var expected = new List<string> { "version 1", $"root {root}" };
            expected.AddRange(blocks.Select(b => $"block {b.Cid} {b.Data.Length}"));
            Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task JsCarWritesTheSameBytesWeDo()
    {
        var blocks = new List<(Cid Cid, byte[] Data)>();
        for (var i = 0; i < 5; i++)
        {
            var data = DeterministicBytes.Generate((ulong)i, 100 * i);
            blocks.Add((Cid.Compute(Multicodec.Raw, data), data));
        }
        var cbor = DagCbor.Encode(IpldMap.Of(("items", new IpldList(blocks.Select(b => (IpldNode)new IpldLink(b.Cid))))));
        var cborCid = Cid.Compute(Multicodec.DagCbor, cbor);
        blocks.Insert(0, (cborCid, cbor));

        var ours = new MemoryStream();
        var writer = await CarWriter.CreateAsync(ours, [cborCid]);
        foreach (var (cid, data) in blocks)
        {
            await writer.WriteBlockAsync(cid, data);
        }

        var path = Path.Combine(Path.GetTempPath(), $"overlay-car-{Guid.NewGuid():N}.car");
        try
        {
            var stdin = string.Join('\n', blocks.Select(b => b.Data.Length == 0 ? b.Cid.ToString() : $"{b.Cid} {Convert.ToHexStringLower(b.Data)}")) + "\n";
            var (exitCode, stdout, stderr) = await JsPeer.RunAsync("car.mjs", ["write", path, cborCid.ToString()], stdin);
            Assert.True(exitCode == 0, stdout + stderr);
            Assert.Equal(Convert.ToHexStringLower(await File.ReadAllBytesAsync(path)), Convert.ToHexStringLower(ours.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ExporterWalksDagCborAndDagJsonLinksSkipsIdentityAndDeduplicates()
    {
        var store = new MemoryBlockStore();
        var leafA = Encoding.ASCII.GetBytes("leaf a");
        var leafB = Encoding.ASCII.GetBytes("leaf b");
        var a = Cid.Compute(Multicodec.Raw, leafA);
        var b = Cid.Compute(Multicodec.Raw, leafB);
        var inline = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "inline"u8));
        await store.PutAsync(a, leafA);
        await store.PutAsync(b, leafB);
        var child = DagCbor.Encode(IpldMap.Of(("b", new IpldLink(b)), ("again", new IpldLink(a))));
        var childCid = Cid.Compute(Multicodec.DagCbor, child);
        await store.PutAsync(childCid, child);
        var json = DagJson.EncodeUtf8(IpldMap.Of(("leaf", new IpldLink(b))));
        var jsonCid = Cid.Compute(Multicodec.DagJson, json);
        await store.PutAsync(jsonCid, json);
        var root = DagCbor.Encode(IpldMap.Of(("x", new IpldList(new IpldLink(a), new IpldLink(childCid), new IpldLink(inline), new IpldLink(jsonCid)))));
        var rootCid = Cid.Compute(Multicodec.DagCbor, root);
        await store.PutAsync(rootCid, root);

        var once = new MemoryStream();
        await CarExporter.ExportAsync(store, rootCid, once);
        Assert.Equal(Strings([rootCid, a, childCid, b, jsonCid]), Cids((await ReadAllAsync(once.ToArray())).Blocks));

        var all = new MemoryStream();
        await CarExporter.ExportAsync(store, rootCid, all, duplicates: true);
        // dag-cbor map keys are in canonical (length-first) order: "b" then "again".
        Assert.Equal(Strings([rootCid, a, childCid, b, a, jsonCid, b]), Cids((await ReadAllAsync(all.ToArray())).Blocks));
    }

    [Fact]
    public async Task TamperedSectionIsAVerificationFailure()
    {
        var (store, root, _) = await ImportFileAsync(MiB + 1, 33);
        var car = new MemoryStream();
        await CarExporter.ExportAsync(store, root, car);
        var bytes = car.ToArray();
        bytes[^1] ^= 0xFF;
        await Assert.ThrowsAsync<VerificationException>(() => ReadAllAsync(bytes));
        var (_, blocks) = await ReadAllAsync(bytes, new CarReaderOptions { VerifyBlocks = false });
        Assert.Equal(3, blocks.Count);
    }

    [Fact]
    public async Task LengthsAreBoundedBeforeAllocation()
    {
        var header = new CarHeader([Cid.Compute(Multicodec.Raw, [])]).Encode();
        var prefix = new MemoryStream();
        prefix.Write(Varint.Encode((ulong)header.Length));
        prefix.Write(header);
        var hugeSection = prefix.ToArray().Concat(Varint.Encode(1UL << 40)).ToArray();
        var error = await Assert.ThrowsAsync<LimitExceededException>(() => ReadAllAsync(hugeSection));
        Assert.Equal(1L << 40, error.Declared);
        var hugeHeader = Varint.Encode(100UL << 20);
        await Assert.ThrowsAsync<LimitExceededException>(() => ReadAllAsync(hugeHeader));
        await Assert.ThrowsAsync<MalformedDataException>(() => ReadAllAsync([]));
        await Assert.ThrowsAnyAsync<MalformedDataException>(() => ReadAllAsync(prefix.ToArray().Concat(new byte[] { 0x80, 0x00 }).ToArray()));
    }

    [Fact]
    public async Task RandomBytesOnlyEverFailAsMalformedData()
    {
        var (store, root, _) = await ImportFileAsync(2000, 34);
        var car = new MemoryStream();
        await CarExporter.ExportAsync(store, root, car);
        var valid = car.ToArray();
        var random = new DeterministicBytes(35);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])valid.Clone();
            var flips = 1 + (int)(random.NextUInt64() % 4);
            for (var f = 0; f < flips; f++)
            {
                bytes[(int)(random.NextUInt64() % (ulong)bytes.Length)] = (byte)random.NextUInt64();
            }
            var cut = i % 3 == 0 ? bytes[..(int)(random.NextUInt64() % (ulong)bytes.Length)] : bytes;
            try
            {
                await ReadAllAsync(cut, new CarReaderOptions { VerifyBlocks = i % 2 == 0 });
            }
            catch (MalformedDataException)
            {
            }
            catch (VerificationException)
            {
            }
        }
        Assert.Single((await ReadAllAsync(valid)).Blocks);
    }

    [Fact]
    public async Task WriterRefusesWhatReadersWouldRefuse()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CarWriter.CreateAsync(Stream.Null, []));
        var writer = await CarWriter.CreateAsync(Stream.Null, [Cid.Compute(Multicodec.Raw, [])]);
        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteBlockAsync(Cid.Compute(Multicodec.Raw, []), new byte[2 * MiB + 1]));
        Assert.Equal(0, writer.BlockCount);
        Assert.True(writer.BytesWritten > 0, writer.BytesWritten.ToString(CultureInfo.InvariantCulture));
    }
}
