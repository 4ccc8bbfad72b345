// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-protocol-versions
namespace Overlay.Bitswap.Messages;

/// <summary>The protocol ids of bitswap and the version each one means.</summary>
public static class BitswapProtocols
{
    public const string V120 = "/ipfs/bitswap/1.2.0";
    public const string V110 = "/ipfs/bitswap/1.1.0";
    public const string V100 = "/ipfs/bitswap/1.0.0";

    /// <summary>The id before versions existed; kubo still answers it and it means 1.0.0.</summary>
    public const string Legacy = "/ipfs/bitswap";

    /// <summary>Newest first: the order we offer them when opening a stream.</summary>
    public static IReadOnlyList<string> All { get; } = [V120, V110, V100, Legacy];

    public static BitswapProtocolVersion VersionOf(string protocol) => protocol switch
    {
        V120 => BitswapProtocolVersion.V120,
        V110 => BitswapProtocolVersion.V110,
        V100 or Legacy => BitswapProtocolVersion.V100,
        _ => throw new ArgumentException($"'{protocol}' is not a bitswap protocol id", nameof(protocol)),
    };
}
