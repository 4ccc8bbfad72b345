// Spec: https://specs.ipfs.tech/ipns/ipns-record/
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Manifest.Ipns;

/// <summary>
/// A verified IPNS record: every instance was either created and signed here
/// (<see cref="Create"/>) or passed <see cref="Validate"/>, so its fields are the signed V2
/// values. <see cref="Bytes"/> are the exact serialized <c>IpnsEntry</c>.
/// </summary>
public sealed class IpnsRecord
{
    /// <summary>The spec's record size limit, checked before parsing.</summary>
    public const int MaxSize = 10 * 1024;

    private readonly byte[] _bytes;
    private readonly byte[] _data;
    private readonly byte[] _signatureV2;
    private readonly Rfc3339NanoTime _validity;

    internal IpnsRecord(byte[] bytes, byte[] data, IpnsData fields, Rfc3339NanoTime validity, PublicKey publicKey, byte[] signatureV2, bool hasSignatureV1)
    {
        _bytes = bytes;
        _data = data;
        _signatureV2 = signatureV2;
        _validity = validity;
        Value = DecodeValue(fields.Value);
        Sequence = fields.Sequence;
        ValidityText = Encoding.ASCII.GetString(fields.Validity);
        TtlNanoseconds = fields.Ttl;
        PublicKey = publicKey;
        HasSignatureV1 = hasSignatureV1;
    }

    /// <summary>The content path the name points at (<c>/ipfs/…</c>, <c>/ipns/…</c>).</summary>
    public string Value { get; }

    public ulong Sequence { get; }

    public IpnsValidityType ValidityType => IpnsValidityType.Eol;

    /// <summary>End of life (UTC); the record is valid strictly before this instant.</summary>
    public DateTimeOffset Validity => _validity.Instant;

    /// <summary>The RFC 3339 text exactly as signed (nanosecond precision).</summary>
    public string ValidityText { get; }

    /// <summary>How long resolvers may cache the record, in nanoseconds as on the wire.</summary>
    public ulong TtlNanoseconds { get; }

    public TimeSpan Ttl => TimeSpan.FromTicks((long)Math.Min(TtlNanoseconds / 100, (ulong)TimeSpan.MaxValue.Ticks));

    /// <summary>The key that signed the record (from <c>pubKey</c> or inlined in the name).</summary>
    public PublicKey PublicKey { get; }

    /// <summary>True when the legacy V1 fields are present (never trusted, but checked to match).</summary>
    public bool HasSignatureV1 { get; }

    /// <summary>The signed DAG-CBOR document.</summary>
    public ReadOnlySpan<byte> Data => _data;

    public ReadOnlySpan<byte> SignatureV2 => _signatureV2;

    /// <summary>The serialized <c>IpnsEntry</c> protobuf, exactly as created or received.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    internal Rfc3339NanoTime ValidityTime => _validity;

    internal static ReadOnlySpan<byte> SignatureV2Prefix => "ipns-signature:"u8;

    /// <summary>
    /// Creates and signs a record: V2 (signature over <c>"ipns-signature:" || data</c>) and, when
    /// <paramref name="v1Compatible"/>, the legacy V1 fields and signature for old resolvers. The
    /// Ed25519 key is inlined in the name, so <c>pubKey</c> is left out as the spec advises.
    /// </summary>
    public static IpnsRecord Create(Ed25519PrivateKey key, string value, ulong sequence, DateTimeOffset validity, TimeSpan ttl, bool v1Compatible = true)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        // TTL travels as uint64 nanoseconds (at most ~584 years).
        ArgumentOutOfRangeException.ThrowIfGreaterThan((ulong)ttl.Ticks, ulong.MaxValue / 100, nameof(ttl));
        var time = Rfc3339NanoTime.FromDateTimeOffset(validity);
        var fields = new IpnsData(
            Encoding.UTF8.GetBytes(value),
            Encoding.ASCII.GetBytes(time.Format()),
            (ulong)IpnsValidityType.Eol,
            sequence,
            (ulong)ttl.Ticks * 100);
        var data = fields.Encode();
        var signatureV2 = key.Sign(V2SigningBytes(data));
        var entry = new IpnsEntry
        {
            Value = v1Compatible ? fields.Value : null,
            SignatureV1 = v1Compatible ? key.Sign(V1SigningBytes(fields.Value, fields.Validity, fields.ValidityType)) : null,
            ValidityType = v1Compatible ? fields.ValidityType : null,
            Validity = v1Compatible ? fields.Validity : null,
            Sequence = v1Compatible ? fields.Sequence : null,
            Ttl = v1Compatible ? fields.Ttl : null,
            SignatureV2 = signatureV2,
            Data = data,
        };
        var bytes = entry.Encode();
        if (bytes.Length > MaxSize)
        {
            throw new ArgumentException($"the record would be {bytes.Length} bytes, over the {MaxSize}-byte limit; shorten the value", nameof(value));
        }
        return new IpnsRecord(bytes, data, fields, time, key.PublicKey, signatureV2, v1Compatible);
    }

    /// <summary>
    /// Runs the spec's record verification for <paramref name="name"/> at <paramref name="now"/>.
    /// Throws <see cref="MalformedDataException"/> (format "ipns") for bytes that are not a
    /// record, <see cref="LimitExceededException"/> over 10 KiB, and
    /// <see cref="IpnsValidationException"/> for a record that must not be trusted.
    /// </summary>
    public static IpnsRecord Validate(ReadOnlySpan<byte> record, PeerId name, DateTimeOffset now) =>
        IpnsRecordValidator.Validate(record, name, now);

    /// <summary>
    /// The record to resolve with among valid records of one name (spec: highest sequence, then
    /// longest validity; the earlier record wins a full tie). Null when there are none.
    /// </summary>
    public static IpnsRecord? SelectBest(IEnumerable<IpnsRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        IpnsRecord? best = null;
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (best is null || record.IsBetterThan(best))
            {
                best = record;
            }
        }
        return best;
    }

    /// <summary>True when this record supersedes <paramref name="other"/>.</summary>
    public bool IsBetterThan(IpnsRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sequence != other.Sequence ? Sequence > other.Sequence : _validity.CompareTo(other._validity) > 0;
    }

    public override string ToString() => $"IPNS record #{Sequence} -> {Value} (valid until {ValidityText})";

    internal static byte[] V2SigningBytes(ReadOnlySpan<byte> data) => [.. SignatureV2Prefix, .. data];

    /// <summary>
    /// Legacy V1 signed bytes: <c>value || validity || validityType</c> with the type written as
    /// go prints the enum ("EOL"). Only ever produced, never trusted.
    /// </summary>
    internal static byte[] V1SigningBytes(ReadOnlySpan<byte> value, ReadOnlySpan<byte> validity, ulong validityType)
    {
        var typeName = validityType == (ulong)IpnsValidityType.Eol ? "EOL" : validityType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. value, .. validity, .. Encoding.ASCII.GetBytes(typeName)];
    }

    private static string DecodeValue(byte[] value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedDataException(IpnsEntry.FormatName, "value is not valid UTF-8", e);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
