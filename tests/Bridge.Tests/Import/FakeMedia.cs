using System.Text;

namespace Overlay.Bridge.Tests.Import;

/// <summary>Bytes that sniff as MPEG-TS or fMP4 (the importer reads formats, not codecs).</summary>
internal static class FakeMedia
{
    public static byte[] Ts(int packets, byte fill)
    {
        var bytes = new byte[188 * packets];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = i % 188 == 0 ? (byte)0x47 : (byte)(fill + i);
        }
        return bytes;
    }

    public static byte[] Box(string type, int size, byte fill)
    {
        var bytes = new byte[size];
        bytes[0] = (byte)(size >> 24);
        bytes[1] = (byte)(size >> 16);
        bytes[2] = (byte)(size >> 8);
        bytes[3] = (byte)size;
        Encoding.ASCII.GetBytes(type).CopyTo(bytes, 4);
        for (var i = 8; i < size; i++)
        {
            bytes[i] = (byte)(fill + i);
        }
        return bytes;
    }
}
