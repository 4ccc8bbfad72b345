// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-node (enum DataType)
namespace Overlay.Manifest.UnixFs;

/// <summary>The UnixFS <c>Data.Type</c> values.</summary>
public enum UnixFsType
{
    /// <summary>Legacy dag-pb-wrapped file bytes; read for compatibility, never written.</summary>
    Raw = 0,
    Directory = 1,
    File = 2,
    /// <summary>Reserved by the spec; no implementation writes it.</summary>
    Metadata = 3,
    Symlink = 4,
    HamtShard = 5,
}
