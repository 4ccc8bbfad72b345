using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Import;

/// <summary>What an import produced: the sealed, signed manifest and every bundle in it.</summary>
public sealed record HlsImportResult(SignedTreeHead Head, IReadOnlyList<ImportedBundle> Bundles)
{
    /// <summary>The manifest's root: the CID of the signed head block.</summary>
    public Cid ManifestRoot => Head.Cid;

    /// <summary>Payload bytes imported (each bundle's size summed).</summary>
    public long PayloadBytes => Bundles.Sum(b => b.Size);
}
