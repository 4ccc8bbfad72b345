// Spec: specs/bundle.md §6 and specs/manifest.md §2.2 (Ed25519 over a domain prefix || unsigned dag-cbor bytes).
using System.Text;
using Overlay.Manifest.Keys;

namespace Overlay.Manifest.Streams;

/// <summary>
/// Ed25519 signatures with a domain-separation prefix, so a signature made for one of our
/// formats can never be replayed as a signature of another (or of a libp2p message).
/// </summary>
internal static class DomainSignature
{
    public static readonly byte[] BundlePrefix = Encoding.ASCII.GetBytes("overlay-bundle-v1\n");

    public static readonly byte[] TreeHeadPrefix = Encoding.ASCII.GetBytes("overlay-tree-head-v1\n");

    public static byte[] Sign(Ed25519PrivateKey key, byte[] prefix, ReadOnlySpan<byte> unsigned) =>
        key.Sign(Concat(prefix, unsigned));

    public static bool Verify(Ed25519PublicKey key, byte[] prefix, ReadOnlySpan<byte> unsigned, ReadOnlySpan<byte> signature) =>
        key.Verify(Concat(prefix, unsigned), signature);

    private static byte[] Concat(byte[] prefix, ReadOnlySpan<byte> unsigned)
    {
        var message = new byte[prefix.Length + unsigned.Length];
        prefix.CopyTo(message, 0);
        unsigned.CopyTo(message.AsSpan(prefix.Length));
        return message;
    }
}
