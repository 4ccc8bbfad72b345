using Microsoft.Win32.SafeHandles;
using Overlay.Bridge.Hls;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Import;

/// <summary>
/// Exactly <c>length</c> bytes of a file from <c>offset</c>, read positionally. A file that ends
/// early is a <see cref="MalformedDataException"/>: the playlist promised bytes that are not there.
/// </summary>
internal sealed class RangeReadStream(SafeFileHandle file, long offset, long length, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset1, int count) => Read(buffer.AsSpan(offset1, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, length - _read);
        if (want == 0)
        {
            return 0;
        }
        var got = RandomAccess.Read(file, buffer[..want], offset + _read);
        if (got == 0)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"{name} ends at byte {offset + _read}, before the {length} bytes from {offset} the playlist names");
        }
        _read += got;
        return got;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = (int)Math.Min(buffer.Length, length - _read);
        if (want == 0)
        {
            return 0;
        }
        var got = await RandomAccess.ReadAsync(file, buffer[..want], offset + _read, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"{name} ends at byte {offset + _read}, before the {length} bytes from {offset} the playlist names");
        }
        _read += got;
        return got;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset1, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset1, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset1, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset1, int count) => throw new NotSupportedException();
}
