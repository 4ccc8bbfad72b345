// Spec: https://ipld.io/specs/transport/car/carv1/#format-description
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>
/// Writes a CARv1 to a stream as blocks come: the header first, then one
/// <c>varint(len) | CID | block</c> section per block. Nothing is buffered beyond one
/// section's prefix; wrap the stream in a <see cref="BufferedStream"/> when sections are small.
/// </summary>
public sealed class CarWriter
{
    private readonly Stream _output;
    private readonly byte[] _prefix = new byte[Varint.MaxLength + Cid.MaxBinaryLength];

    private CarWriter(Stream output) => _output = output;

    public long BlockCount { get; private set; }

    /// <summary>Bytes written so far, header included.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes the header naming <paramref name="roots"/> (at least one, as the spec asks).</summary>
    public static async Task<CarWriter> CreateAsync(Stream output, IReadOnlyList<Cid> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            throw new ArgumentException("a CAR names one or more roots", nameof(roots));
        }
        var writer = new CarWriter(output);
        var header = new CarHeader(roots).Encode();
        var length = Varint.Encode((ulong)header.Length);
        await output.WriteAsync(length, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        writer.BytesWritten = length.Length + header.Length;
        return writer;
    }

    /// <summary>Appends one block. Its CID is written as given (CIDv0 stays v0, as kubo does).</summary>
    public async ValueTask WriteBlockAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (data.Length > VerifiedBlocks.MaxBlockSize)
        {
            throw new ArgumentException($"block of {data.Length} bytes is over the {VerifiedBlocks.MaxBlockSize}-byte limit readers apply", nameof(data));
        }
        var cidBytes = cid.Bytes;
        var prefixLength = Varint.Write((ulong)(cidBytes.Length + data.Length), _prefix);
        cidBytes.CopyTo(_prefix.AsSpan(prefixLength));
        prefixLength += cidBytes.Length;
        await _output.WriteAsync(_prefix.AsMemory(0, prefixLength), cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        BlockCount++;
        BytesWritten += prefixLength + data.Length;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => _output.FlushAsync(cancellationToken);
}
