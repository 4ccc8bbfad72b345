// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-hamtdirectory-path-resolution
using System.Text;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// The bit stream a HAMT consumes for one entry name: murmur3 h1 of the name, most significant
/// bit first; past 64 bits, h1 of the name followed by one byte 1, 2, … (Helia's rule; go-unixfs
/// stops at 64 bits, which no real directory reaches).
/// </summary>
internal sealed class HamtHash
{
    private readonly byte[] _name;
    private readonly List<ulong> _words = [];

    public HamtHash(string name)
    {
        _name = Encoding.UTF8.GetBytes(name);
    }

    /// <summary>The bucket index at <paramref name="depth"/> for a fanout of 2^<paramref name="bits"/>.</summary>
    public int IndexAt(int depth, int bits)
    {
        var result = 0;
        var position = (long)depth * bits;
        for (var remaining = bits; remaining > 0;)
        {
            var wordIndex = (int)(position / 64);
            var bitInWord = (int)(position % 64);
            var take = Math.Min(remaining, 64 - bitInWord);
            var word = Word(wordIndex);
            var chunk = (word << bitInWord) >> (64 - take);
            result = (result << take) | (int)chunk;
            remaining -= take;
            position += take;
        }
        return result;
    }

    private ulong Word(int index)
    {
        while (_words.Count <= index)
        {
            var depth = _words.Count;
            if (depth == 0)
            {
                _words.Add(Murmur3.Hash64(_name));
            }
            else
            {
                // Helia appends the depth as one byte; depths past 255 would need 16,000+ bits.
                var salted = new byte[_name.Length + 1];
                _name.CopyTo(salted, 0);
                salted[^1] = (byte)depth;
                _words.Add(Murmur3.Hash64(salted));
            }
        }
        return _words[index];
    }
}
