using System.Buffers;
using System.Collections.Concurrent;

namespace Overlay.Transport;

/// <summary>
/// Fixed-size blocks for the connection pipes that are kept when returned (Kestrel's block pool
/// shape). The shared array pool keeps only 32 arrays per size per core and drops the rest, while
/// one busy connection has more than that in flight, so its pipes used to allocate afresh per
/// segment (~0.8 MB per MiB moved, measured in bench/). Blocks kept are capped so an idle node
/// gives the memory back to the GC.
/// </summary>
public sealed class BlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Two full Noise frames (65 535 bytes each) fit one block, so frames rarely span segments.</summary>
    public const int BlockSize = 128 * 1024;

    /// <summary>64 MiB kept at most; past that, returned blocks go to the GC.</summary>
    private const int MaxKeptBlocks = 512;

    private readonly ConcurrentStack<Block> _free = new();

    public static BlockMemoryPool Instance { get; } = new();

    public override int MaxBufferSize => BlockSize;

    /// <summary>Pipe options whose segments are blocks of <see cref="Instance"/>.</summary>
    public static System.IO.Pipelines.PipeOptions CreatePipeOptions(long pauseWriterThreshold) => new(
        pool: Instance,
        pauseWriterThreshold: pauseWriterThreshold,
        resumeWriterThreshold: pauseWriterThreshold / 2,
        minimumSegmentSize: BlockSize,
        useSynchronizationContext: false);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), $"blocks are {BlockSize} bytes");
        }
        if (!_free.TryPop(out var block))
        {
            block = new Block(this);
        }
        block.Lease();
        return block;
    }

    private void Return(Block block)
    {
        if (_free.Count < MaxKeptBlocks)
        {
            _free.Push(block);
        }
    }

    protected override void Dispose(bool disposing)
    {
        // The shared pool lives as long as the process; there is nothing to release early.
    }

    private sealed class Block(BlockMemoryPool owner) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _leased;

        public Memory<byte> Memory => _array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            // A pipe disposes each segment once; a second dispose must not return the block twice.
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                owner.Return(this);
            }
        }
    }
}
