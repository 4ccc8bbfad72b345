using Overlay.Manifest.Codecs;

namespace Overlay.Cli;

/// <summary>Codec names on the command line (<see cref="IpldCodecs"/>), refused with the CLI's one-line error.</summary>
internal static class BlockCodecs
{
    public static ulong CodeOf(string name) =>
        IpldCodecs.TryGetCodec(name, out var codec)
            ? codec
            : throw new CliException($"unsupported codec \"{name}\"; one of: {string.Join(", ", IpldCodecs.Names)}");
}
