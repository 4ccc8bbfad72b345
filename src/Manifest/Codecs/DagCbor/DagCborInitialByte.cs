// Spec: https://ipld.io/specs/codecs/dag-cbor/spec/#strictness (RFC 8949 §3.1 major types)
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// Classifies a CBOR initial byte into the tokens dag-cbor allows, and names why the rest are
/// refused (indefinite lengths, reserved values, tags other than 42, undefined, simple values,
/// 16/32-bit floats).
/// </summary>
internal static class DagCborInitialByte
{
    public static DagCborReaderState StateOf(byte initial)
    {
        var additional = initial & 0x1f;
        var major = initial >> 5;
        if (major < 6 && additional > 27)
        {
            throw additional == 31
                ? Malformed("indefinite-length items are not allowed")
                : Malformed($"reserved additional information {additional}");
        }
        return major switch
        {
            0 => DagCborReaderState.UnsignedInteger,
            1 => DagCborReaderState.NegativeInteger,
            2 => DagCborReaderState.ByteString,
            3 => DagCborReaderState.TextString,
            4 => DagCborReaderState.StartArray,
            5 => DagCborReaderState.StartMap,
            6 => initial == 0xd8 ? DagCborReaderState.Link : throw Malformed("only tag 42 (CID), encoded as 0xd82a, is allowed"),
            _ => initial switch
            {
                0xf4 or 0xf5 => DagCborReaderState.Boolean,
                0xf6 => DagCborReaderState.Null,
                0xfb => DagCborReaderState.Double,
                0xf7 => throw Malformed("undefined is not part of the IPLD data model"),
                0xf9 or 0xfa => throw Malformed("floats must be encoded in 64 bits"),
                0xff => throw Malformed("break outside an indefinite-length item"),
                _ => throw Malformed($"simple value 0x{initial:x2} is not allowed"),
            },
        };
    }

    private static MalformedDataException Malformed(string message) => new("dag-cbor", message);
}
