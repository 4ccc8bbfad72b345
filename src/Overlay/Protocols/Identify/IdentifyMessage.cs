// Spec: https://github.com/libp2p/specs/blob/master/identify/README.md#the-identify-message
using Overlay.Addressing;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Protobuf;

namespace Overlay.Protocols.Identify;

/// <summary>What a peer says about itself. Unknown or unparseable addresses are dropped, not fatal.</summary>
public sealed record IdentifyMessage
{
    /// <summary>js-libp2p caps identify messages at 8 KiB; go-libp2p at 4 KiB of signed record plus addresses.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>Peers announce a handful of addresses and a few dozen protocols; more is abuse.</summary>
    public const int MaxListItems = 128;

    private const string FormatName = "identify";

    public string? ProtocolVersion { get; init; }
    public string? AgentVersion { get; init; }
    public PublicKey? PublicKey { get; init; }
    public IReadOnlyList<Multiaddr> ListenAddresses { get; init; } = [];
    public Multiaddr? ObservedAddress { get; init; }
    public IReadOnlyList<string> Protocols { get; init; } = [];

    public byte[] Encode()
    {
        var writer = new ProtoWriter();
        if (PublicKey is not null)
        {
            writer.WriteBytes(1, PublicKey.ToProtobuf());
        }
        foreach (var address in ListenAddresses)
        {
            writer.WriteBytes(2, address.Bytes);
        }
        foreach (var protocol in Protocols)
        {
            writer.WriteString(3, protocol);
        }
        if (ObservedAddress is not null)
        {
            writer.WriteBytes(4, ObservedAddress.Bytes);
        }
        if (ProtocolVersion is not null)
        {
            writer.WriteString(5, ProtocolVersion);
        }
        if (AgentVersion is not null)
        {
            writer.WriteString(6, AgentVersion);
        }
        return writer.ToArray();
    }

    public static IdentifyMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new LimitExceededException(FormatName, "message length", MaxLength, bytes.Length);
        }
        var reader = new ProtoReader(bytes, FormatName);
        PublicKey? key = null;
        string? protocolVersion = null;
        string? agentVersion = null;
        Multiaddr? observed = null;
        var addresses = new List<Multiaddr>();
        var protocols = new List<string>();
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    key = PublicKey.FromProtobuf(reader.ReadBytes(MaxLength, "publicKey"));
                    break;
                case 2:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    AddBounded(addresses, TryDecodeAddress(reader.ReadBytes(Multiaddr.MaxBinaryLength, "listenAddrs")));
                    break;
                case 3:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    AddBounded(protocols, reader.ReadString(Negotiation.MultistreamSelect.MaxProtocolLength, "protocols"));
                    break;
                case 4:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    observed = TryDecodeAddress(reader.ReadBytes(Multiaddr.MaxBinaryLength, "observedAddr"));
                    break;
                case 5:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    protocolVersion = reader.ReadString(256, "protocolVersion");
                    break;
                case 6:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    agentVersion = reader.ReadString(256, "agentVersion");
                    break;
                default:
                    // signedPeerRecord (8) and future fields: skipped; we trust only what the connection proved.
                    reader.Skip(wireType);
                    break;
            }
        }
        return new IdentifyMessage
        {
            PublicKey = key,
            ProtocolVersion = protocolVersion,
            AgentVersion = agentVersion,
            ObservedAddress = observed,
            ListenAddresses = addresses,
            Protocols = protocols,
        };
    }

    private static void AddBounded<T>(List<T> list, T? item)
    {
        if (item is null)
        {
            return;
        }
        if (list.Count >= MaxListItems)
        {
            throw new LimitExceededException(FormatName, "list items", MaxListItems, list.Count + 1);
        }
        list.Add(item);
    }

    // Peers may announce transports we do not know (webrtc, memory): skip those addresses only.
    private static Multiaddr? TryDecodeAddress(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Multiaddr.Decode(bytes);
        }
        catch (MalformedDataException)
        {
            return null;
        }
    }
}
