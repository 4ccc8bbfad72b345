using Overlay.Manifest.Keys;
using Overlay.Security.Noise;

namespace Overlay.Tests.Hostile;

/// <summary>The outcome of a hand-driven handshake: the transport ciphers and the key the remote showed.</summary>
internal sealed record NoiseKeys(CipherState Send, CipherState Receive, PublicKey Remote);
