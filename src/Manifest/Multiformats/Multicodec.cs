// Codes from https://github.com/multiformats/multicodec/blob/master/table.csv
namespace Overlay.Manifest.Multiformats;

/// <summary>The multicodec codes this project reads or writes.</summary>
public static class Multicodec
{
    public const ulong Identity = 0x00;
    public const ulong Sha2_256 = 0x12;
    public const ulong Sha2_512 = 0x13;
    public const ulong Blake3 = 0x1e;
    public const ulong Raw = 0x55;
    public const ulong DagPb = 0x70;
    public const ulong DagCbor = 0x71;
    public const ulong Libp2pKey = 0x72;
    public const ulong DagJson = 0x0129;

    /// <summary>A short name for logs and dag-json output; the hex code for codes we do not name.</summary>
    public static string NameOf(ulong code) => code switch
    {
        Identity => "identity",
        Sha2_256 => "sha2-256",
        Sha2_512 => "sha2-512",
        Blake3 => "blake3",
        Raw => "raw",
        DagPb => "dag-pb",
        DagCbor => "dag-cbor",
        Libp2pKey => "libp2p-key",
        DagJson => "dag-json",
        _ => $"0x{code:x}",
    };
}
