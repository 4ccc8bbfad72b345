namespace Overlay.Manifest.Ipns;

/// <summary>Why a well-formed IPNS record was not accepted (spec "Record Verification" steps).</summary>
public enum IpnsValidationFailure
{
    /// <summary>No <c>signatureV2</c> or no <c>data</c>: a V1-only record, which must not be trusted.</summary>
    NotV2,

    /// <summary>No <c>pubKey</c> in the record and the name is a hash, so the key cannot be known.</summary>
    PublicKeyNotFound,

    /// <summary>The record's <c>pubKey</c> does not derive the name being resolved.</summary>
    PublicKeyMismatch,

    /// <summary>The key type cannot be verified here (only Ed25519 can).</summary>
    UnsupportedKeyType,

    /// <summary><c>signatureV2</c> does not verify over <c>"ipns-signature:" || data</c>.</summary>
    BadSignature,

    /// <summary>A legacy V1 protobuf field differs from the signed value in <c>data</c>.</summary>
    FieldMismatch,

    /// <summary><c>ValidityType</c> is not EOL (0).</summary>
    UnsupportedValidityType,

    /// <summary>The EOL has passed.</summary>
    Expired,
}
