using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// A seekable read-only stream over a UnixFS file. Reads pull from
/// <see cref="UnixFsReader.ReadAsync"/>; a seek drops the current enumeration and the next
/// read starts a new one at the new position, fetching only the blocks from there on.
/// </summary>
internal sealed class UnixFsFileStream : Stream
{
    private readonly UnixFsReader _reader;
    private readonly Cid _cid;
    private IAsyncEnumerator<ReadOnlyMemory<byte>>? _chunks;
    private ReadOnlyMemory<byte> _current;
    private long _position;

    public UnixFsFileStream(UnixFsReader reader, Cid cid, long length)
    {
        _reader = reader;
        _cid = cid;
        Length = length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_current.IsEmpty)
        {
            // One enumeration serves many reads, so it is not bound to any one read's token.
            _chunks ??= _reader.ReadAsync(_cid, _position).GetAsyncEnumerator(CancellationToken.None);
            do
            {
                if (!await _chunks.MoveNextAsync().ConfigureAwait(false))
                {
                    return 0;
                }
                _current = _chunks.Current;
            }
            while (_current.IsEmpty);
        }
        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads block on the asynchronous path; there is no synchronous block store API.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            DropEnumeration();
            _position = target;
        }
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_chunks is not null)
        {
            await _chunks.DisposeAsync().ConfigureAwait(false);
            _chunks = null;
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropEnumeration();
        }
        base.Dispose(disposing);
    }

    private void DropEnumeration()
    {
        _current = ReadOnlyMemory<byte>.Empty;
        if (_chunks is not null)
        {
            // Disposing awaits the enumerator's look-ahead fetches; they are store reads, short.
            _chunks.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _chunks = null;
        }
    }
}
