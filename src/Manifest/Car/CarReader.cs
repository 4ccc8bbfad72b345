// Spec: https://ipld.io/specs/transport/car/carv1/ ; CARv2 wrapper: https://ipld.io/specs/transport/car/carv2/
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>
/// Reads a CAR from a stream, one section at a time, so a CAR of any size needs memory for one
/// block only. The header and every section length are bounded before anything is allocated;
/// blocks are verified against their CIDs unless <see cref="CarReaderOptions.VerifyBlocks"/> is off.
/// A CARv2 file is read through its CARv1 payload. Bad bytes throw
/// <see cref="MalformedDataException"/> (or <see cref="LimitExceededException"/>); a block that
/// does not match its CID throws <see cref="VerificationException"/>.
/// </summary>
public sealed class CarReader
{
    /// <summary>The CARv2 pragma (11 bytes) plus its fixed 40-byte header.</summary>
    private const int CarV2PrefixLength = 11 + 40;

    private readonly CarStreamReader _input;
    private readonly CarReaderOptions _options;
    private int _enumerated;

    private CarReader(CarStreamReader input, int version, CarHeader header, CarReaderOptions options)
    {
        _input = input;
        Version = version;
        Header = header;
        _options = options;
    }

    /// <summary>1, or 2 for a CARv2 file (whose payload is a CARv1).</summary>
    public int Version { get; }

    public CarHeader Header { get; }

    public IReadOnlyList<Cid> Roots => Header.Roots;

    /// <summary>Reads the header (unwrapping CARv2) and leaves the stream at the first section.</summary>
    public static async Task<CarReader> OpenAsync(Stream stream, CarReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= CarReaderOptions.Default;
        var input = new CarStreamReader(stream);
        var (version, header) = await ReadHeaderAsync(input, options, cancellationToken).ConfigureAwait(false);
        if (version == 1)
        {
            return new CarReader(input, 1, header!, options);
        }
        if (!options.AllowCarV2)
        {
            throw new MalformedDataException(CarHeader.FormatName, "CARv2 files are not accepted here");
        }
        var fixedHeader = new byte[40];
        await input.ReadExactlyAsync(fixedHeader, "CARv2 header", cancellationToken).ConfigureAwait(false);
        // characteristics (16 bytes), data offset, data size, index offset: little-endian uint64s.
        var dataOffset = BinaryPrimitives.ReadUInt64LittleEndian(fixedHeader.AsSpan(16));
        var dataSize = BinaryPrimitives.ReadUInt64LittleEndian(fixedHeader.AsSpan(24));
        if (dataOffset < CarV2PrefixLength || dataOffset > long.MaxValue / 2 || dataSize > long.MaxValue / 2)
        {
            throw new MalformedDataException(CarHeader.FormatName, $"CARv2 data offset {dataOffset} / size {dataSize} out of range");
        }
        await input.SkipAsync((long)dataOffset - input.Position, "CARv2 padding", cancellationToken).ConfigureAwait(false);
        input.SetLimit((long)(dataOffset + dataSize));
        var (innerVersion, inner) = await ReadHeaderAsync(input, options, cancellationToken).ConfigureAwait(false);
        if (innerVersion != 1)
        {
            throw new MalformedDataException(CarHeader.FormatName, "CARv2 payload is not a CARv1");
        }
        return new CarReader(input, 2, inner!, options);
    }

    /// <summary>The block sections in file order; enumerable once.</summary>
    public async IAsyncEnumerable<CarBlock> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("a CAR stream can be read once");
        }
        while (await _input.ReadVarintAsync("section", cancellationToken).ConfigureAwait(false) is { } length)
        {
            if (length == 0)
            {
                throw new MalformedDataException(CarHeader.FormatName, "Invalid CAR section (zero length)");
            }
            if (length > (ulong)_options.MaxSectionLength)
            {
                throw new LimitExceededException(CarHeader.FormatName, "section length", _options.MaxSectionLength, (long)Math.Min(length, long.MaxValue));
            }
            var section = new byte[(int)length];
            await _input.ReadExactlyAsync(section, "section", cancellationToken).ConfigureAwait(false);
            Cid cid;
            int cidLength;
            try
            {
                cid = Cid.DecodeFirst(section, out cidLength);
            }
            catch (MalformedDataException e)
            {
                throw new MalformedDataException(CarHeader.FormatName, "section CID: " + e.Message, e);
            }
            var data = section.AsMemory(cidLength);
            if (_options.VerifyBlocks)
            {
                VerifiedBlocks.Verify(cid, data.Span);
            }
            yield return new CarBlock(cid, data);
        }
    }

    private static async Task<(int Version, CarHeader? Header)> ReadHeaderAsync(CarStreamReader input, CarReaderOptions options, CancellationToken cancellationToken)
    {
        var length = await input.ReadVarintAsync("header", cancellationToken).ConfigureAwait(false)
            ?? throw new MalformedDataException(CarHeader.FormatName, "Unexpected end of data: no header");
        if (length == 0)
        {
            throw new MalformedDataException(CarHeader.FormatName, "empty header");
        }
        if (length > (ulong)options.MaxHeaderLength)
        {
            throw new LimitExceededException(CarHeader.FormatName, "header length", options.MaxHeaderLength, (long)Math.Min(length, long.MaxValue));
        }
        var bytes = new byte[(int)length];
        await input.ReadExactlyAsync(bytes, "header", cancellationToken).ConfigureAwait(false);
        var version = CarHeader.Decode(bytes, options.AllowEmptyRoots, out var header);
        return (version, header);
    }
}
