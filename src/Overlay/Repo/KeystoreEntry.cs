using Overlay.Manifest.Keys;

namespace Overlay.Repo;

/// <summary>A named key of the keystore: its name and the peer ID (IPNS name) it signs for.</summary>
public sealed record KeystoreEntry(string Name, PeerId Id);
