using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Muxing.Yamux;

namespace Overlay.Host;

public sealed record HostOptions
{
    public required Ed25519PrivateKey Identity { get; init; }

    public IReadOnlyList<Multiaddr> ListenAddresses { get; init; } = [];

    public string AgentVersion { get; init; } = DefaultAgentVersion;

    /// <summary>TCP connect.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Security and muxer negotiation together; a peer that stalls longer is cut off.</summary>
    public TimeSpan UpgradeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Protocol negotiation on one stream.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public ConnectionLimits Limits { get; init; } = new();

    /// <summary>Stream buffers come from the block pool the connection pipes use (see BlockMemoryPool).</summary>
    public YamuxOptions Yamux { get; init; } = new() { MemoryPool = Overlay.Transport.BlockMemoryPool.Instance };

    public static string DefaultAgentVersion { get; } =
        "overlay/" + (typeof(HostOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
