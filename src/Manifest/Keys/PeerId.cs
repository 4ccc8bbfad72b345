// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#peer-ids
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Keys;

/// <summary>
/// A libp2p peer ID (also an IPNS name): the multihash of a public key's protobuf, inline
/// (identity) when the protobuf is at most 42 bytes, sha2-256 otherwise. Equality is by bytes.
/// </summary>
public sealed class PeerId : IEquatable<PeerId>
{
    /// <summary>Keys whose protobuf is at most this long are inlined with the identity hash (spec).</summary>
    public const int MaxInlineKeyLength = 42;

    private const string FormatName = "peer-id";

    private readonly PublicKey? _inlineKey;

    private PeerId(Multihash multihash, PublicKey? inlineKey)
    {
        Multihash = multihash;
        _inlineKey = inlineKey;
    }

    public Multihash Multihash { get; }

    /// <summary>The binary form: the multihash bytes (what Noise, identify and IPNS keys carry).</summary>
    public ReadOnlySpan<byte> Bytes => Multihash.Bytes;

    public byte[] ToArray() => Multihash.ToArray();

    public static PeerId FromPublicKey(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var protobuf = key.ToProtobuf();
        return protobuf.Length <= MaxInlineKeyLength
            ? new PeerId(Multihash.Create(Multicodec.Identity, protobuf), key)
            : new PeerId(Multihash.Sha2_256(protobuf), null);
    }

    /// <summary>
    /// Accepts the two forms the spec derives: identity multihashes of at most 42 bytes that hold
    /// a valid key protobuf, and sha2-256 multihashes. Anything else is not a peer ID.
    /// </summary>
    public static PeerId FromMultihash(Multihash multihash)
    {
        ArgumentNullException.ThrowIfNull(multihash);
        switch (multihash.Code)
        {
            case Multicodec.Identity:
                if (multihash.DigestLength > MaxInlineKeyLength)
                {
                    throw new MalformedDataException(FormatName, $"inline key of {multihash.DigestLength} bytes is longer than {MaxInlineKeyLength}; such keys are hashed with sha2-256");
                }
                PublicKey key;
                try
                {
                    key = PublicKey.FromProtobuf(multihash.Digest);
                }
                catch (MalformedDataException e)
                {
                    throw new MalformedDataException(FormatName, "identity multihash does not hold a valid public key", e);
                }
                return new PeerId(multihash, key);
            case Multicodec.Sha2_256:
                return new PeerId(multihash, null);
            default:
                throw new MalformedDataException(FormatName, $"{Multicodec.NameOf(multihash.Code)} multihash is not a peer ID (identity or sha2-256 only)");
        }
    }

    /// <summary>Decodes the binary form (a multihash spanning all of <paramref name="source"/>).</summary>
    public static PeerId Decode(ReadOnlySpan<byte> source)
    {
        Multihash multihash;
        try
        {
            multihash = Multihash.Decode(source);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(FormatName, "not a multihash", e);
        }
        return FromMultihash(multihash);
    }

    /// <summary>A CIDv1 with the libp2p-key codec, as IPNS names and new-style peer IDs are written.</summary>
    public static PeerId FromCid(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (cid.Version != 1 || cid.Codec != Multicodec.Libp2pKey)
        {
            throw new MalformedDataException(FormatName, $"CID codec is {Multicodec.NameOf(cid.Codec)} (v{cid.Version}), expected a CIDv1 libp2p-key");
        }
        return FromMultihash(cid.Hash);
    }

    /// <summary>
    /// Parses either text form: bare base58btc multihash (starts with <c>1</c> or <c>Qm</c>) or a
    /// multibase CIDv1 with the libp2p-key codec (<c>k51…</c>, <c>bafz…</c>, …).
    /// </summary>
    public static PeerId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            if (text.StartsWith('1') || text.StartsWith("Qm", StringComparison.Ordinal))
            {
                return Decode(Multibase.DecodeBare(text, MultibaseEncoding.Base58Btc));
            }
            return FromCid(Cid.Decode(Multibase.Decode(text)));
        }
        catch (MalformedDataException e) when (e.Format != FormatName)
        {
            throw new MalformedDataException(FormatName, $"'{Shorten(text)}' is not a peer ID", e);
        }
    }

    public static bool TryParse(string? text, out PeerId? peerId)
    {
        peerId = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            peerId = Parse(text);
            return true;
        }
        catch (MalformedDataException)
        {
            return false;
        }
    }

    public Cid ToCid() => Cid.CreateV1(Multicodec.Libp2pKey, Multihash);

    /// <summary>The legacy form the spec says to display: bare base58btc (<c>12D3KooW…</c>, <c>Qm…</c>).</summary>
    public override string ToString() => Multibase.EncodeBare(Multihash.Bytes, MultibaseEncoding.Base58Btc);

    /// <summary>The CID form in the given multibase (<c>bafz…</c> for base32).</summary>
    public string ToString(MultibaseEncoding encoding) => ToCid().ToString(encoding);

    /// <summary>The CID form in base36, as IPNS names are printed (<c>k51…</c>).</summary>
    public string ToBase36Name() => ToCid().ToString(MultibaseEncoding.Base36);

    /// <summary>The public key when it is inlined (identity multihash); false for hashed keys.</summary>
    public bool TryExtractPublicKey(out PublicKey? publicKey)
    {
        publicKey = _inlineKey;
        return publicKey is not null;
    }

    /// <summary>True when this is the peer ID the spec derives from <paramref name="publicKey"/>.</summary>
    public bool Matches(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Equals(FromPublicKey(publicKey));
    }

    public bool Equals(PeerId? other) => other is not null && Multihash.Equals(other.Multihash);

    public override bool Equals(object? obj) => Equals(obj as PeerId);

    public override int GetHashCode() => Multihash.GetHashCode();

    public static bool operator ==(PeerId? left, PeerId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(PeerId? left, PeerId? right) => !(left == right);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
