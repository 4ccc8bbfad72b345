// Spec: https://specs.ipfs.tech/ipns/ipns-pubsub-router/#pubsub-topic
using System.Buffers.Text;
using Overlay.Manifest.Keys;

namespace Overlay.Names;

/// <summary>The IPNS-over-PubSub topic of a name: <c>/record/</c> + base64url (no padding) of <c>/ipns/</c> + the name's multihash bytes.</summary>
public static class IpnsTopic
{
    public const string Prefix = "/record/";

    public static string For(PeerId name)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] key = [.. "/ipns/"u8, .. name.Bytes];
        return Prefix + Base64Url.EncodeToString(key);
    }

    /// <summary>The routing key's text form, <c>/ipns/&lt;name&gt;</c>, as resolvers print it.</summary>
    public static string PathOf(PeerId name) => "/ipns/" + name.ToBase36Name();
}
