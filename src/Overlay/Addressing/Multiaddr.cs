// Spec: https://github.com/multiformats/multiaddr (text form /proto/value…, binary form varint code + value).
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Addressing;

/// <summary>An immutable multiaddr; equality by binary form.</summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Addresses in identify and peer records are short; 1 KiB bounds a hostile one.</summary>
    public const int MaxBinaryLength = 1024;

    /// <summary>DNS names are at most 253 characters (RFC 1035).</summary>
    private const int MaxDnsNameLength = 253;

    private const string FormatName = "multiaddr";

    private readonly byte[] _bytes;

    private Multiaddr(byte[] bytes, IReadOnlyList<MultiaddrComponent> components)
    {
        _bytes = bytes;
        Components = components;
    }

    public IReadOnlyList<MultiaddrComponent> Components { get; }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '/')
        {
            throw new MalformedDataException(FormatName, $"'{text}' does not start with '/'");
        }
        var parts = text.TrimEnd('/').Split('/')[1..];
        var components = new List<MultiaddrComponent>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (!MultiaddrProtocol.TryGet(parts[i], out var protocol))
            {
                throw new MalformedDataException(FormatName, $"unknown protocol '{parts[i]}'");
            }
            if (protocol.Size == 0)
            {
                components.Add(new MultiaddrComponent(protocol, ReadOnlyMemory<byte>.Empty));
                continue;
            }
            if (++i >= parts.Length)
            {
                throw new MalformedDataException(FormatName, $"'{protocol.Name}' needs a value");
            }
            components.Add(new MultiaddrComponent(protocol, ValueFromText(protocol, parts[i])));
        }
        return FromComponents(components);
    }

    public static bool TryParse(string text, out Multiaddr? address)
    {
        try
        {
            address = Parse(text);
            return true;
        }
        catch (MalformedDataException)
        {
            address = null;
            return false;
        }
    }

    public static Multiaddr Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBinaryLength)
        {
            throw new LimitExceededException(FormatName, "address length", MaxBinaryLength, bytes.Length);
        }
        var components = new List<MultiaddrComponent>();
        var position = 0;
        while (position < bytes.Length)
        {
            var code = Varint.Read(bytes[position..], out var codeLength);
            position += codeLength;
            if (!MultiaddrProtocol.TryGet(code, out var protocol))
            {
                throw new MalformedDataException(FormatName, $"unknown protocol code {code}");
            }
            var size = protocol.Size;
            if (size == MultiaddrProtocol.VariableSize)
            {
                size = Varint.ReadBounded(bytes[position..], MaxBinaryLength, "value length", out var lengthLength);
                position += lengthLength;
            }
            if (bytes.Length - position < size)
            {
                throw new MalformedDataException(FormatName, $"'{protocol.Name}' value truncated");
            }
            var value = bytes.Slice(position, size).ToArray();
            ValidateValue(protocol, value);
            components.Add(new MultiaddrComponent(protocol, value));
            position += size;
        }
        return new Multiaddr(bytes.ToArray(), components);
    }

    public static Multiaddr FromComponents(IEnumerable<MultiaddrComponent> components)
    {
        var list = components.ToList();
        using var stream = new MemoryStream();
        Span<byte> varint = stackalloc byte[Varint.MaxLength];
        foreach (var component in list)
        {
            stream.Write(varint[..Varint.Write(component.Protocol.Code, varint)]);
            if (component.Protocol.Size == MultiaddrProtocol.VariableSize)
            {
                stream.Write(varint[..Varint.Write((ulong)component.Value.Length, varint)]);
            }
            stream.Write(component.Value.Span);
        }
        if (stream.Length > MaxBinaryLength)
        {
            throw new LimitExceededException(FormatName, "address length", MaxBinaryLength, stream.Length);
        }
        return new Multiaddr(stream.ToArray(), list);
    }

    /// <summary>A TCP address: /ip4|ip6/…/tcp/port.</summary>
    public static Multiaddr ForTcp(IPEndPoint endpoint) => FromComponents(
    [
        new MultiaddrComponent(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? MultiaddrProtocol.Ip6 : MultiaddrProtocol.Ip4, endpoint.Address.GetAddressBytes()),
        new MultiaddrComponent(MultiaddrProtocol.Tcp, PortBytes(endpoint.Port)),
    ]);

    /// <summary>This address with /p2p/&lt;peer&gt; appended (the peer as its multihash bytes).</summary>
    public Multiaddr WithPeer(ReadOnlySpan<byte> peerIdMultihash) =>
        FromComponents([.. Components.Where(c => c.Protocol != MultiaddrProtocol.P2p), new MultiaddrComponent(MultiaddrProtocol.P2p, peerIdMultihash.ToArray())]);

    /// <summary>The /p2p/ value (peer ID multihash bytes), if present.</summary>
    public ReadOnlyMemory<byte>? PeerIdBytes => Components.LastOrDefault(c => c.Protocol == MultiaddrProtocol.P2p)?.Value;

    /// <summary>The address without its /p2p/ part.</summary>
    public Multiaddr WithoutPeer() => FromComponents(Components.Where(c => c.Protocol != MultiaddrProtocol.P2p));

    /// <summary>The TCP endpoint for /ip4|ip6/…/tcp/…; null when the address is not plain TCP over IP.</summary>
    public IPEndPoint? ToTcpEndPoint()
    {
        var transport = Components.Where(c => c.Protocol != MultiaddrProtocol.P2p).ToArray();
        if (transport.Length != 2 || transport[1].Protocol != MultiaddrProtocol.Tcp
            || (transport[0].Protocol != MultiaddrProtocol.Ip4 && transport[0].Protocol != MultiaddrProtocol.Ip6))
        {
            return null;
        }
        return new IPEndPoint(new IPAddress(transport[0].Value.Span), BinaryPrimitives.ReadUInt16BigEndian(transport[1].Value.Span));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var component in Components)
        {
            text.Append('/').Append(component.Protocol.Name);
            if (component.Protocol.Size != 0)
            {
                text.Append('/').Append(ValueToText(component.Protocol, component.Value.Span));
            }
        }
        return text.ToString();
    }

    public bool Equals(Multiaddr? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    private static byte[] PortBytes(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        return bytes;
    }

    private static byte[] ValueFromText(MultiaddrProtocol protocol, string text)
    {
        byte[] value;
        if (protocol == MultiaddrProtocol.Ip4 || protocol == MultiaddrProtocol.Ip6)
        {
            var family = protocol == MultiaddrProtocol.Ip4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family || (family == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
            {
                throw new MalformedDataException(FormatName, $"'{text}' is not an {protocol.Name} address");
            }
            value = address.GetAddressBytes();
        }
        else if (protocol == MultiaddrProtocol.Tcp || protocol == MultiaddrProtocol.Udp)
        {
            if (!ushort.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                throw new MalformedDataException(FormatName, $"'{text}' is not a port");
            }
            value = PortBytes(port);
        }
        else if (protocol == MultiaddrProtocol.P2p)
        {
            // Peer IDs print as bare base58btc multihashes; the CIDv1 libp2p-key form is accepted too.
            value = text.StartsWith('1') || text.StartsWith("Qm", StringComparison.Ordinal)
                ? Multibase.DecodeBare(text, MultibaseEncoding.Base58Btc)
                : Cid.Parse(text).Hash.ToArray();
        }
        else
        {
            value = Encoding.UTF8.GetBytes(text);
        }
        ValidateValue(protocol, value);
        return value;
    }

    private static void ValidateValue(MultiaddrProtocol protocol, byte[] value)
    {
        if (protocol == MultiaddrProtocol.P2p)
        {
            Multihash.Decode(value);
        }
        else if (protocol.Size == MultiaddrProtocol.VariableSize)
        {
            if (value.Length == 0 || value.Length > MaxDnsNameLength || value.Contains((byte)'/'))
            {
                throw new MalformedDataException(FormatName, $"invalid {protocol.Name} name");
            }
            try
            {
                new UTF8Encoding(false, true).GetString(value);
            }
            catch (DecoderFallbackException e)
            {
                throw new MalformedDataException(FormatName, $"{protocol.Name} name is not UTF-8", e);
            }
        }
    }

    private static string ValueToText(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        if (protocol == MultiaddrProtocol.Ip4 || protocol == MultiaddrProtocol.Ip6)
        {
            return new IPAddress(value).ToString();
        }
        if (protocol == MultiaddrProtocol.Tcp || protocol == MultiaddrProtocol.Udp)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (protocol == MultiaddrProtocol.P2p)
        {
            return Multibase.EncodeBare(value, MultibaseEncoding.Base58Btc);
        }
        return Encoding.UTF8.GetString(value);
    }
}
