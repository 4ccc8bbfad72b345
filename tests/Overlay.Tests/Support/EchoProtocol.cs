using System.Security.Cryptography;
using Overlay.Host;
using Overlay.Manifest.Keys;

namespace Overlay.Tests.Support;

/// <summary>`/echo/1.0.0` as tests/js/libp2p-peer.mjs serves it: everything read is written back, then FIN.</summary>
internal static class EchoProtocol
{
    public const string Id = "/echo/1.0.0";

    public static async Task ServeAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await stream.Input.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                await stream.Output.WriteAsync(segment, cancellationToken);
            }
            stream.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await stream.Output.CompleteAsync();
    }

    /// <summary>Sends <paramref name="size"/> random bytes on a new stream and asserts they come back unchanged.</summary>
    public static async Task RoundTripAsync(Libp2pHost host, PeerId peer, int seed, int size)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        await using var stream = await host.NewStreamAsync(peer, [Id]);
        var reading = Task.Run(async () =>
        {
            using var received = new MemoryStream();
            while (true)
            {
                var result = await stream.Input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    received.Write(segment.Span);
                }
                stream.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return received.ToArray();
                }
            }
        });
        for (var offset = 0; offset < size; offset += 64 * 1024)
        {
            await stream.Output.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, size - offset)));
        }
        await stream.Output.CompleteAsync();
        var echoed = await reading;
        Assert.Equal(size, echoed.Length);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(echoed));
    }
}
