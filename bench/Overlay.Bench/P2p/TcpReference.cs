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
/// `--tcp-sink` serves (prints {"addr":"127.0.0.1:N"}, serves until standard input closes): on
/// accept it sends its process CPU time, reads to the end, then replies with the byte count and
/// its CPU time again (8-byte big-endian numbers, CPU in microseconds).
/// `--client tcp ADDR BYTES WRITE_SIZE` sends and prints {"bytes":n,"seconds":s,"clientCpuMs":n,"serverCpuMs":n}.
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
            BinaryPrimitives.WriteInt64BigEndian(buffer, CpuMicroseconds());
            client.Send(buffer.AsSpan(0, 8));
            long count = 0;
            int received;
            while ((received = client.Receive(buffer)) > 0)
            {
                count += received;
            }
            BinaryPrimitives.WriteInt64BigEndian(buffer, count);
            BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(8), CpuMicroseconds());
            client.Send(buffer.AsSpan(0, 16));
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
        var serverBefore = BinaryPrimitives.ReadInt64BigEndian(ReceiveExactly(socket, 8));
        var clientBefore = CpuMicroseconds();
        var watch = Stopwatch.StartNew();
        for (long sent = 0; sent < bytes;)
        {
            sent += socket.Send(block.AsSpan(0, (int)Math.Min(block.Length, bytes - sent)));
        }
        socket.Shutdown(SocketShutdown.Send);
        var reply = ReceiveExactly(socket, 16);
        var seconds = watch.Elapsed.TotalSeconds;
        var clientCpuMs = (CpuMicroseconds() - clientBefore) / 1000.0;
        if (BinaryPrimitives.ReadInt64BigEndian(reply) != bytes)
        {
            throw new InvalidDataException("the TCP sink counted a different number of bytes");
        }
        var serverCpuMs = (BinaryPrimitives.ReadInt64BigEndian(reply.AsSpan(8)) - serverBefore) / 1000.0;
        Console.WriteLine(JsonSerializer.Serialize(new { bytes, seconds, clientCpuMs, serverCpuMs }));
        return 0;
    }

    private static byte[] ReceiveExactly(Socket socket, int length)
    {
        var buffer = new byte[length];
        for (var got = 0; got < length;)
        {
            var received = socket.Receive(buffer.AsSpan(got));
            if (received == 0)
            {
                throw new InvalidDataException("the TCP sink closed early");
            }
            got += received;
        }
        return buffer;
    }

    private static long CpuMicroseconds()
    {
        using var process = Process.GetCurrentProcess();
        return (long)(process.TotalProcessorTime.TotalMilliseconds * 1000);
    }
}
