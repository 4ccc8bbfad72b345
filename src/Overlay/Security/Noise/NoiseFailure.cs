namespace Overlay.Security.Noise;

/// <summary>Why a Noise session was refused; logged and counted per reason.</summary>
public enum NoiseFailure
{
    Malformed,
    DecryptionFailed,
    BadSignature,
    UnsupportedKey,
    PeerIdMismatch,
    ConnectionClosed,
}
