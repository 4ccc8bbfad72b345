namespace Overlay.Bridge.Ffmpeg;

/// <summary>A finished tool run: its exit code, its standard output (bounded) and the tail of stderr.</summary>
public sealed record ProcessResult(int ExitCode, byte[] StandardOutput, string StandardErrorTail);
