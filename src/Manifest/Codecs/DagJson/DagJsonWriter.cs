// Spec: https://ipld.io/specs/codecs/dag-json/spec/#serialization (RFC 8259 tokens, no whitespace)
using System.Buffers;
using System.Globalization;
using System.Text;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagJson;

/// <summary>
/// Writes compact JSON tokens. Strings are escaped the way JavaScript's JSON.stringify does
/// (which @ipld/dag-json uses): only '"', '\' and controls below U+0020, everything else as
/// raw UTF-8, so both implementations give the same bytes for the same data.
/// </summary>
internal readonly struct DagJsonWriter
{
    private const string Format = "dag-json";

    private readonly IBufferWriter<byte> _output;

    public DagJsonWriter(IBufferWriter<byte> output) => _output = output;

    public void WriteRaw(ReadOnlySpan<byte> utf8) => _output.Write(utf8);

    public void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    public void WriteInteger(Int128 value)
    {
        var span = _output.GetSpan(40);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void WriteFloat(double value) => WriteAscii(DagJsonFloat.Format(value));

    public void WriteLink(Cid cid)
    {
        WriteRaw("{\"/\":\""u8);
        WriteAscii(cid.ToString());
        WriteRaw("\"}"u8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteRaw("{\"/\":{\"bytes\":\""u8);
        WriteAscii(Convert.ToBase64String(value).TrimEnd('='));
        WriteRaw("\"}}"u8);
    }

    public void WriteString(string value)
    {
        var length = StrictUtf8.GetByteCount(value, Format);
        byte[]? rented = null;
        var utf8 = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        utf8 = utf8[..length];
        StrictUtf8.GetBytes(value, utf8);
        WriteByte((byte)'"');
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b < 0x20 || b == '"' || b == '\\')
            {
                _output.Write(utf8[start..i]);
                WriteEscape(b);
                start = i + 1;
            }
        }
        _output.Write(utf8[start..]);
        WriteByte((byte)'"');
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WriteEscape(byte escaped)
    {
        switch (escaped)
        {
            case (byte)'"': WriteRaw("\\\""u8); break;
            case (byte)'\\': WriteRaw("\\\\"u8); break;
            case (byte)'\b': WriteRaw("\\b"u8); break;
            case (byte)'\f': WriteRaw("\\f"u8); break;
            case (byte)'\n': WriteRaw("\\n"u8); break;
            case (byte)'\r': WriteRaw("\\r"u8); break;
            case (byte)'\t': WriteRaw("\\t"u8); break;
            default: WriteAscii($"\\u{escaped:x4}"); break;
        }
    }

    private void WriteAscii(string value)
    {
        var span = _output.GetSpan(value.Length);
        var written = Encoding.ASCII.GetBytes(value, span);
        _output.Advance(written);
    }
}
