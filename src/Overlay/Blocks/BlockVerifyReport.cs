using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>What <see cref="FileBlockStore.VerifyAsync"/> found: blocks re-hashed, the ones quarantined, the ones whose hash function is unknown here.</summary>
public sealed record BlockVerifyReport(int Checked, IReadOnlyList<Cid> Quarantined, IReadOnlyList<Cid> Unverifiable);
