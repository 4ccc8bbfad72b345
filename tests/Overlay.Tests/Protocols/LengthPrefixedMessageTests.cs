using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Protocols;

namespace Overlay.Tests.Protocols;

public sealed class LengthPrefixedMessageTests
{
    [Fact]
    public async Task Frames_arriving_byte_by_byte_are_read_whole_and_in_order()
    {
        var pipe = new Pipe();
        var framed = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        LengthPrefixedMessage.Write(framed.Writer, new byte[300_000]);
        LengthPrefixedMessage.Write(framed.Writer, [1, 2, 3]);
        await framed.Writer.FlushAsync();
        framed.Writer.Complete();
        var all = (await framed.Reader.ReadAsync()).Buffer.ToArray();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < all.Length; i += 997)
            {
                await pipe.Writer.WriteAsync(all.AsMemory(i, Math.Min(997, all.Length - i)));
            }
            pipe.Writer.Complete();
        });
        Assert.Equal(300_000, (await LengthPrefixedMessage.ReadAsync(pipe.Reader, 1 << 20, "test", CancellationToken.None))!.Length);
        Assert.Equal([1, 2, 3], await LengthPrefixedMessage.ReadAsync(pipe.Reader, 1 << 20, "test", CancellationToken.None));
        Assert.Null(await LengthPrefixedMessage.ReadAsync(pipe.Reader, 1 << 20, "test", CancellationToken.None));
        await writer;
    }

    [Fact]
    public async Task Truncated_and_oversized_frames_throw_malformed_data()
    {
        var truncated = new Pipe();
        await truncated.Writer.WriteAsync(new byte[] { 10, 1, 2 });
        truncated.Writer.Complete();
        await Assert.ThrowsAsync<MalformedDataException>(async () => await LengthPrefixedMessage.ReadAsync(truncated.Reader, 100, "test", CancellationToken.None));

        var huge = new Pipe();
        await huge.Writer.WriteAsync(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x04 });
        var e = await Assert.ThrowsAsync<LimitExceededException>(async () => await LengthPrefixedMessage.ReadAsync(huge.Reader, 1 << 20, "test", CancellationToken.None));
        Assert.Equal(1L << 30, e.Declared);
    }
}
