namespace Overlay.Manifest.Tests.Robustness;

/// <summary>
/// Deterministic byte-level mutations of valid inputs: the edits a fuzzer starts with (bit
/// flips, truncation, insertion, deletion, length-field inflation, splicing).
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x1b, 0x3b, 0x5b, 0x7b, 0x9b, 0xbb, 0xd8, 0x2a, 0xfa, 0xfb, 0xf9, 0x9f, 0xbf, 0x5f, 0x7f];

    public static IEnumerable<byte[]> Mutate(IReadOnlyList<byte[]> corpus, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var input = corpus[random.Next(corpus.Count)];
            var edits = 1 + random.Next(3);
            var data = input;
            for (var e = 0; e < edits; e++)
            {
                data = MutateOnce(data, corpus, random);
            }
            yield return data;
        }
    }

    private static byte[] MutateOnce(byte[] data, IReadOnlyList<byte[]> corpus, Random random)
    {
        if (data.Length == 0)
        {
            return [Interesting[random.Next(Interesting.Length)]];
        }
        var position = random.Next(data.Length);
        switch (random.Next(8))
        {
            case 0:
            {
                var copy = (byte[])data.Clone();
                copy[position] ^= (byte)(1 << random.Next(8));
                return copy;
            }
            case 1:
                return data[..position];
            case 2:
            {
                var copy = (byte[])data.Clone();
                copy[position] = Interesting[random.Next(Interesting.Length)];
                return copy;
            }
            case 3:
                return [.. data[..position], Interesting[random.Next(Interesting.Length)], .. data[position..]];
            case 4:
                return [.. data[..position], .. data[Math.Min(data.Length, position + 1 + random.Next(4))..]];
            case 5:
            {
                // Inflate what may be a length: a run of 0xff bytes claims a huge size.
                var copy = (byte[])data.Clone();
                for (var k = position; k < Math.Min(copy.Length, position + 1 + random.Next(8)); k++)
                {
                    copy[k] = 0xff;
                }
                return copy;
            }
            case 6:
            {
                var other = corpus[random.Next(corpus.Count)];
                var cut = other.Length == 0 ? 0 : random.Next(other.Length);
                return [.. data[..position], .. other[cut..]];
            }
            default:
            {
                var start = random.Next(data.Length);
                var length = Math.Min(data.Length - start, 1 + random.Next(16));
                return [.. data[..position], .. data.AsSpan(start, length), .. data[position..]];
            }
        }
    }
}
