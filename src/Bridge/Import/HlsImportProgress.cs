namespace Overlay.Bridge.Import;

/// <summary>Running totals reported after each bundle is signed.</summary>
public readonly record struct HlsImportProgress(int Bundles, long Bytes);
