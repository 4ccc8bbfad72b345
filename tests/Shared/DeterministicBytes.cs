using System.Buffers.Binary;

namespace Overlay.Tests.Shared;

/// <summary>
/// The SplitMix64 byte stream the C# tests and tests/js (lib/splitmix64.mjs, unixfs.mjs
/// --size/--seed) both generate, so a CID computed here can be checked against Helia's:
/// <code>
/// state = seed; each step: state += 0x9E3779B97F4A7C15; z = state;
/// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
/// z ^= z >> 31; emit z as 8 bytes little-endian (all mod 2^64); a length that is not a
/// multiple of 8 keeps the first bytes of the last step.
/// </code>
/// Vectors: seed 0 first z = 0xE220A8397B1DCDAF; seed 1 first 16 bytes c15c0289ec2d0a9167ec8e65a18debbe.
/// </summary>
internal sealed class DeterministicBytes
{
    private ulong _state;

    public DeterministicBytes(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Fills <paramref name="destination"/>; a tail shorter than 8 bytes consumes a whole step.</summary>
    public void Fill(Span<byte> destination)
    {
        var whole = destination.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], NextUInt64());
        }
        if (whole < destination.Length)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, NextUInt64());
            last[..(destination.Length - whole)].CopyTo(destination[whole..]);
        }
    }

    public static byte[] Generate(ulong seed, int length)
    {
        var bytes = new byte[length];
        new DeterministicBytes(seed).Fill(bytes);
        return bytes;
    }

    /// <summary>A read-only stream of <paramref name="length"/> bytes generated as they are read.</summary>
    public static Stream Open(ulong seed, long length) => new GeneratedStream(seed, length);

    private sealed class GeneratedStream(ulong seed, long length) : Stream
    {
        private readonly DeterministicBytes _generator = new(seed);
        private readonly byte[] _step = new byte[8];
        private int _stepUsed = 8;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            var written = 0;
            // Finish a step a previous read cut in the middle.
            while (written < count && _stepUsed < 8)
            {
                buffer[written++] = _step[_stepUsed++];
            }
            var whole = (count - written) & ~7;
            _generator.Fill(buffer.Slice(written, whole));
            written += whole;
            if (written < count)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(_step, _generator.NextUInt64());
                _stepUsed = 0;
                while (written < count)
                {
                    buffer[written++] = _step[_stepUsed++];
                }
            }
            _position += written;
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
