// Spec: https://specs.ipfs.tech/ipns/ipns-record/#record-serialization-format (IpnsEntry protobuf)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;

namespace Overlay.Manifest.Ipns;

/// <summary>
/// The <c>IpnsEntry</c> protobuf as it is on the wire, before any check of trust. Fields 1-6 are
/// the legacy V1 copies, 7-9 the V2 part; every field is optional at the protobuf level, so
/// absent fields are null here and the validator decides what is required.
/// </summary>
internal sealed class IpnsEntry
{
    public const string FormatName = "ipns";

    public byte[]? Value { get; init; }
    public byte[]? SignatureV1 { get; init; }
    public ulong? ValidityType { get; init; }
    public byte[]? Validity { get; init; }
    public ulong? Sequence { get; init; }
    public ulong? Ttl { get; init; }
    public byte[]? PubKey { get; init; }
    public byte[]? SignatureV2 { get; init; }
    public byte[]? Data { get; init; }

    /// <summary>Fields in field-number order, as go and js write them.</summary>
    public byte[] Encode()
    {
        var writer = new ProtoWriter(512);
        if (Value is not null) writer.WriteBytes(1, Value);
        if (SignatureV1 is not null) writer.WriteBytes(2, SignatureV1);
        if (ValidityType is { } validityType) writer.WriteVarint(3, validityType);
        if (Validity is not null) writer.WriteBytes(4, Validity);
        if (Sequence is { } sequence) writer.WriteVarint(5, sequence);
        if (Ttl is { } ttl) writer.WriteVarint(6, ttl);
        if (PubKey is not null) writer.WriteBytes(7, PubKey);
        if (SignatureV2 is not null) writer.WriteBytes(8, SignatureV2);
        if (Data is not null) writer.WriteBytes(9, Data);
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes an entry; the caller has already checked the size cap, which also bounds every
    /// field. Unknown fields are skipped (the spec wants old readers to ignore new fields); a
    /// known field given twice is rejected rather than resolved "last one wins", so two readers
    /// can never see different values in the same bytes.
    /// </summary>
    public static IpnsEntry Decode(ReadOnlySpan<byte> source)
    {
        var reader = new ProtoReader(source, FormatName);
        byte[]? value = null, signatureV1 = null, validity = null, pubKey = null, signatureV2 = null, data = null;
        ulong? validityType = null, sequence = null, ttl = null;
        var seen = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field is < 1 or > 9)
            {
                reader.Skip(wire);
                continue;
            }
            if ((seen & (1 << field)) != 0)
            {
                throw new MalformedDataException(FormatName, $"field {field} appears more than once");
            }
            seen |= 1 << field;
            switch (field)
            {
                case 1: value = ReadBytes(ref reader, wire, field, "value"); break;
                case 2: signatureV1 = ReadBytes(ref reader, wire, field, "signatureV1"); break;
                case 3: validityType = ReadVarint(ref reader, wire, field); break;
                case 4: validity = ReadBytes(ref reader, wire, field, "validity"); break;
                case 5: sequence = ReadVarint(ref reader, wire, field); break;
                case 6: ttl = ReadVarint(ref reader, wire, field); break;
                case 7: pubKey = ReadBytes(ref reader, wire, field, "pubKey"); break;
                case 8: signatureV2 = ReadBytes(ref reader, wire, field, "signatureV2"); break;
                default: data = ReadBytes(ref reader, wire, field, "data"); break;
            }
        }
        return new IpnsEntry
        {
            Value = value,
            SignatureV1 = signatureV1,
            ValidityType = validityType,
            Validity = validity,
            Sequence = sequence,
            Ttl = ttl,
            PubKey = pubKey,
            SignatureV2 = signatureV2,
            Data = data,
        };
    }

    private static byte[] ReadBytes(ref ProtoReader reader, WireType wire, int field, string what)
    {
        reader.Expect(wire, WireType.LengthDelimited, field);
        return reader.ReadBytes(IpnsRecord.MaxSize, what).ToArray();
    }

    private static ulong ReadVarint(ref ProtoReader reader, WireType wire, int field)
    {
        reader.Expect(wire, WireType.Varint, field);
        return reader.ReadVarint();
    }
}
