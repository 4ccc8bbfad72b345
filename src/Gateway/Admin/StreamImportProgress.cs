namespace Overlay.Gateway.Admin;

/// <summary>Running totals of an import: bundles signed and payload bytes stored.</summary>
public readonly record struct StreamImportProgress(int Bundles, long Bytes);
