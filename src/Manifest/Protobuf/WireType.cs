namespace Overlay.Manifest.Protobuf;

/// <summary>Protocol buffers wire types (https://protobuf.dev/programming-guides/encoding/#structure).</summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
