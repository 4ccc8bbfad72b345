// Spec: https://ipld.io/specs/transport/car/carv1/#format-description (varint-prefixed sections)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>
/// Buffered forward reading of a CAR from a stream: varints, exact byte runs, skips, and an
/// optional end offset (a CARv2 payload ends before its index). Running out of bytes inside an
/// item is <see cref="MalformedDataException"/>; only a clean end between sections is not.
/// </summary>
internal sealed class CarStreamReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly byte[] _varint = new byte[Varint.MaxLength];
    private int _start;
    private int _end;
    private long _streamPosition;
    private long _limit = long.MaxValue;

    public CarStreamReader(Stream stream) => _stream = stream;

    /// <summary>Offset of the next unread byte from the start of the stream.</summary>
    public long Position => _streamPosition - (_end - _start);

    /// <summary>Treats <paramref name="end"/> (an offset from the start) as the end of the data.</summary>
    public void SetLimit(long end)
    {
        _limit = end;
        var buffered = _streamPosition - end;
        if (buffered > 0)
        {
            // Drop anything already buffered past the limit.
            _end -= (int)Math.Min(buffered, _end - _start);
            _streamPosition = end;
        }
    }

    /// <summary>The next varint, or null when the data ends exactly here.</summary>
    public async ValueTask<ulong?> ReadVarintAsync(string what, CancellationToken cancellationToken)
    {
        var bytes = _varint;
        var count = 0;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (count == 0)
                {
                    return null;
                }
                throw new MalformedDataException(CarHeader.FormatName, $"Unexpected end of data in {what} length");
            }
            var b = _buffer[_start++];
            if (count == Varint.MaxLength)
            {
                throw new MalformedDataException(CarHeader.FormatName, $"{what} length varint longer than {Varint.MaxLength} bytes");
            }
            bytes[count++] = b;
            if ((b & 0x80) == 0)
            {
                try
                {
                    return Varint.Read(bytes.AsSpan(0, count), out _);
                }
                catch (MalformedDataException e)
                {
                    throw new MalformedDataException(CarHeader.FormatName, $"{what} length: {e.Message}", e);
                }
            }
        }
    }

    public async ValueTask ReadExactlyAsync(Memory<byte> destination, string what, CancellationToken cancellationToken)
    {
        var buffered = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, buffered).CopyTo(destination);
        _start += buffered;
        var filled = buffered;
        while (filled < destination.Length)
        {
            var want = (int)Math.Min(destination.Length - filled, _limit - _streamPosition);
            var read = want > 0 ? await _stream.ReadAsync(destination.Slice(filled, want), cancellationToken).ConfigureAwait(false) : 0;
            if (read == 0)
            {
                throw new MalformedDataException(CarHeader.FormatName, $"Unexpected end of data in {what}: {destination.Length} bytes declared, {filled} present");
            }
            _streamPosition += read;
            filled += read;
        }
    }

    public async ValueTask SkipAsync(long count, string what, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new MalformedDataException(CarHeader.FormatName, $"Unexpected end of data in {what}");
            }
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = 0;
        var want = (int)Math.Min(_buffer.Length, _limit - _streamPosition);
        if (want <= 0)
        {
            return false;
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
        _end = read;
        _streamPosition += read;
        return read > 0;
    }
}
