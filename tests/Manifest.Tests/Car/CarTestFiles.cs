using Overlay.Manifest.Car;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Car;

internal static class CarTestFiles
{
    public static async Task<(CarReader Reader, List<CarBlock> Blocks)> ReadAllAsync(Stream stream, CarReaderOptions? options = null)
    {
        var reader = await CarReader.OpenAsync(stream, options);
        var blocks = new List<CarBlock>();
        await foreach (var block in reader.ReadBlocksAsync())
        {
            blocks.Add(block);
        }
        return (reader, blocks);
    }

    public static Task<(CarReader Reader, List<CarBlock> Blocks)> ReadAllAsync(byte[] bytes, CarReaderOptions? options = null) =>
        ReadAllAsync(new MemoryStream(bytes), options);

    public static List<string> Cids(IEnumerable<CarBlock> blocks) => blocks.Select(b => b.Cid.ToString()).ToList();

    public static List<string> Strings(IEnumerable<Cid> cids) => cids.Select(c => c.ToString()).ToList();
}
