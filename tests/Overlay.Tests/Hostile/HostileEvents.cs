namespace Overlay.Tests.Hostile;

/// <summary>The host's log event ids (src/Overlay/Host/HostLog.cs) these tests look for.</summary>
internal static class HostileEvents
{
    public const int Disconnected = 1002;
    public const int ConnectionRefused = 1003;
    public const int UpgradeFailed = 1004;
    public const int StreamRefused = 1005;
    public const int BackgroundTaskFailed = 1006;
}
