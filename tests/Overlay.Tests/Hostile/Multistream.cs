using System.Text;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Hostile;

/// <summary>Multistream-select messages as bytes, so tests can send them whole, broken or by the hundred.</summary>
internal static class Multistream
{
    public const string Header = "/multistream/1.0.0";

    /// <summary>uvarint(length) || text || '\n'.</summary>
    public static byte[] Message(string text)
    {
        var body = Encoding.UTF8.GetBytes(text + "\n");
        return [.. Varint.Encode((ulong)body.Length), .. body];
    }

    public static byte[] Messages(IEnumerable<string> texts) => [.. texts.SelectMany(Message)];

    /// <summary>Everything a peer that never gets anywhere could send: the cases for both the connection and a stream.</summary>
    public static TheoryData<string, byte[]> Junk()
    {
        var random = new byte[4096];
        new Random(20240611).NextBytes(random);
        return new TheoryData<string, byte[]>
        {
            { "an HTTP request", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n") },
            { "4 KiB of random bytes", random },
            { "a wrong header", Message("/multistream/2.0.0") },
            { "a message without its newline", [.. Varint.Encode(6), .. "/noise"u8] },
            { "a protocol id of 2000 bytes", [.. Message(Header), .. Message("/" + new string('a', 1999))] },
            { "a length prefix of 2^63-1", [.. Message(Header), .. Varint.Encode(long.MaxValue)] },
            { "a non-minimal length prefix", [.. Message(Header), 0x86, 0x00, .. "/noise\n"u8] },
            { "a zero-length message", [.. Message(Header), 0x00] },
            { "an endless series of unknown proposals", [.. Message(Header), .. Messages(Enumerable.Range(0, 100).Select(i => $"/junk/{i}"))] },
            { "an endless series of na", [.. Message(Header), .. Messages(Enumerable.Repeat("na", 100))] },
            { "an endless series of ls", [.. Message(Header), .. Messages(Enumerable.Repeat("ls", 100))] },
            { "text that is not UTF-8", [.. Message(Header), .. Varint.Encode(4), 0xC3, 0x28, 0xFF, (byte)'\n'] },
        };
    }
}
