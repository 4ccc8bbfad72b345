// Spec: https://specs.ipfs.tech/ipns/ipns-record/#record-verification
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Manifest.Ipns;

/// <summary>The spec's verification steps, in its order, failing on the first error.</summary>
internal static class IpnsRecordValidator
{
    public static IpnsRecord Validate(ReadOnlySpan<byte> record, PeerId name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(name);

        // 1. Size before parsing.
        if (record.Length > IpnsRecord.MaxSize)
        {
            throw new LimitExceededException(IpnsEntry.FormatName, "record size", IpnsRecord.MaxSize, record.Length);
        }
        var entry = IpnsEntry.Decode(record);

        // 2. V2 fields present and not empty; V1-only records are never trusted.
        if (entry.SignatureV2 is not { Length: > 0 } signatureV2 || entry.Data is not { Length: > 0 } data)
        {
            throw new IpnsValidationException(IpnsValidationFailure.NotV2, "record has no signatureV2 or no data (V1-only records are not accepted)");
        }

        // 3. The public key: embedded, or inlined in the name.
        var publicKey = ExtractPublicKey(entry, name);

        // 4. The signed document.
        var fields = IpnsData.Decode(data);

        // 5-6. signatureV2 over "ipns-signature:" || data.
        if (!publicKey.CanVerify)
        {
            throw new IpnsValidationException(IpnsValidationFailure.UnsupportedKeyType, $"{publicKey.Type} signatures cannot be verified here");
        }
        if (!publicKey.Verify(IpnsRecord.V2SigningBytes(data), signatureV2))
        {
            throw new IpnsValidationException(IpnsValidationFailure.BadSignature, "signatureV2 does not verify");
        }

        // 7. Legacy copies must equal the signed values (absent protobuf fields read as their
        //    zero values, as go's getters and js's defaults do).
        if (entry.SignatureV1 is not null || entry.Value is not null)
        {
            CheckV1Copies(entry, fields);
        }

        // 8. Validity.
        if (fields.ValidityType != (ulong)IpnsValidityType.Eol)
        {
            throw new IpnsValidationException(IpnsValidationFailure.UnsupportedValidityType, $"validity type {fields.ValidityType} is not EOL (0)");
        }
        var validity = Rfc3339NanoTime.Parse(fields.Validity);
        if (!validity.IsAfter(now))
        {
            throw new IpnsValidationException(IpnsValidationFailure.Expired, $"record expired at {validity.Format()}");
        }
        return new IpnsRecord(record.ToArray(), data, fields, validity, publicKey, signatureV2, entry.SignatureV1 is not null);
    }

    private static PublicKey ExtractPublicKey(IpnsEntry entry, PeerId name)
    {
        if (entry.PubKey is { } embedded)
        {
            PublicKey key;
            try
            {
                key = PublicKey.FromProtobuf(embedded);
            }
            catch (MalformedDataException e)
            {
                throw new MalformedDataException(IpnsEntry.FormatName, "pubKey is not a valid libp2p public key", e);
            }
            if (!name.Matches(key))
            {
                throw new IpnsValidationException(IpnsValidationFailure.PublicKeyMismatch, $"pubKey belongs to {key.ToPeerId()}, not to {name}");
            }
            return key;
        }
        if (name.TryExtractPublicKey(out var inline))
        {
            return inline!;
        }
        throw new IpnsValidationException(IpnsValidationFailure.PublicKeyNotFound, $"record has no pubKey and {name} does not inline its key");
    }

    private static void CheckV1Copies(IpnsEntry entry, IpnsData fields)
    {
        static void Same(bool equal, string field)
        {
            if (!equal)
            {
                throw new IpnsValidationException(IpnsValidationFailure.FieldMismatch, $"protobuf {field} differs from the signed data[{field}]");
            }
        }
        Same((entry.Value ?? []).AsSpan().SequenceEqual(fields.Value), "Value");
        Same((entry.Validity ?? []).AsSpan().SequenceEqual(fields.Validity), "Validity");
        Same((entry.ValidityType ?? 0) == fields.ValidityType, "ValidityType");
        Same((entry.Sequence ?? 0) == fields.Sequence, "Sequence");
        Same((entry.Ttl ?? 0) == fields.Ttl, "TTL");
    }
}
