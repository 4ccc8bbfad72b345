// Codes and sizes from https://github.com/multiformats/multiaddr/blob/master/protocols.csv
namespace Overlay.Addressing;

/// <summary>One row of the multiaddr protocol table we understand.</summary>
public sealed class MultiaddrProtocol
{
    /// <summary>Size marker for protocols whose value is varint-length-prefixed.</summary>
    public const int VariableSize = -1;

    private MultiaddrProtocol(string name, ulong code, int size)
    {
        Name = name;
        Code = code;
        Size = size;
    }

    public string Name { get; }
    public ulong Code { get; }

    /// <summary>Value size in bytes: fixed, 0 for no value, or <see cref="VariableSize"/>.</summary>
    public int Size { get; }

    public static readonly MultiaddrProtocol Ip4 = new("ip4", 4, 4);
    public static readonly MultiaddrProtocol Tcp = new("tcp", 6, 2);
    public static readonly MultiaddrProtocol Udp = new("udp", 273, 2);
    public static readonly MultiaddrProtocol Dns = new("dns", 53, VariableSize);
    public static readonly MultiaddrProtocol Dns4 = new("dns4", 54, VariableSize);
    public static readonly MultiaddrProtocol Dns6 = new("dns6", 55, VariableSize);
    public static readonly MultiaddrProtocol Ip6 = new("ip6", 41, 16);
    public static readonly MultiaddrProtocol P2p = new("p2p", 421, VariableSize);
    public static readonly MultiaddrProtocol QuicV1 = new("quic-v1", 461, 0);
    public static readonly MultiaddrProtocol Ws = new("ws", 477, 0);
    public static readonly MultiaddrProtocol Wss = new("wss", 478, 0);
    public static readonly MultiaddrProtocol P2pCircuit = new("p2p-circuit", 290, 0);

    private static readonly MultiaddrProtocol[] All = [Ip4, Tcp, Udp, Dns, Dns4, Dns6, Ip6, P2p, QuicV1, Ws, Wss, P2pCircuit];

    public static bool TryGet(string name, out MultiaddrProtocol protocol)
    {
        // "ipfs" is the old name of "p2p"; multiaddr parsers still accept it.
        protocol = All.FirstOrDefault(p => p.Name == name) ?? (name == "ipfs" ? P2p : null)!;
        return protocol is not null;
    }

    public static bool TryGet(ulong code, out MultiaddrProtocol protocol)
    {
        protocol = All.FirstOrDefault(p => p.Code == code)!;
        return protocol is not null;
    }

    public override string ToString() => Name;
}
