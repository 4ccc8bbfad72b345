using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Overlay.Bench.P2p;

/// <summary>
/// The physical reference for the libp2p rows: the same sink exchange over a plain loopback TCP
/// socket (no crypto, no framing), between two processes, with blocking sends and receives.
/// `--tcp-sink` serves (prints {"addr":"127.0.0.1:N"}, serves until standard input closes);
/// `--client tcp ADDR BYTES WRITE_SIZE` sends and prints {"bytes":n,"seconds":s}.
/// </summary>
internal static class TcpReference
{
    private const int ReceiveBuffer = 256 * 1024;

    public static async Task<int> ServeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        Console.WriteLine(JsonSerializer.Serialize(new { addr = listener.LocalEndPoint!.ToString() }));
        await Console.Out.FlushAsync();
        var accepting = new Thread(() => AcceptLoop(listener)) { IsBackground = true };
        accepting.Start();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(Stream.Null);
        return 0;
    }

    private static void AcceptLoop(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (SocketException)
            {
                return;
            }
            new Thread(() => Sink(client)) { IsBackground = true }.Start();
        }
    }

    private static void Sink(Socket client)
    {
        using (client)
        {
            var buffer = new byte[ReceiveBuffer];
            long count = 0;
            int received;
            while ((received = client.Receive(buffer)) > 0)
            {
                count += received;
            }
            BinaryPrimitives.WriteInt64BigEndian(buffer, count);
            client.Send(buffer.AsSpan(0, 8));
            client.Shutdown(SocketShutdown.Send);
        }
    }

    public static int RunClient(string[] args)
    {
        if (args is not [var address, var bytesText, var writeSizeText])
        {
            throw new ArgumentException("usage: --client tcp ADDR BYTES WRITE_SIZE");
        }
        var bytes = long.Parse(bytesText, CultureInfo.InvariantCulture);
        var block = new byte[int.Parse(writeSizeText, CultureInfo.InvariantCulture)];
        new Random(1).NextBytes(block);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPEndPoint.Parse(address));
        var watch = Stopwatch.StartNew();
        for (long sent = 0; sent < bytes;)
        {
            sent += socket.Send(block.AsSpan(0, (int)Math.Min(block.Length, bytes - sent)));
        }
        socket.Shutdown(SocketShutdown.Send);
        var reply = new byte[8];
        var got = 0;
        int received;
        while ((received = socket.Receive(reply.AsSpan(got))) > 0)
        {
            got += received;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        if (got != 8 || BinaryPrimitives.ReadInt64BigEndian(reply) != bytes)
        {
            throw new InvalidDataException("the TCP sink counted a different number of bytes");
        }
        Console.WriteLine(JsonSerializer.Serialize(new { bytes, seconds }));
        return 0;
    }
}
