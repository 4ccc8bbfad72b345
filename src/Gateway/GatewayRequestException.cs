namespace Overlay.Gateway;

/// <summary>A request the gateway answers with <see cref="Status"/> and a one-line reason (bad path, unknown name, …).</summary>
internal sealed class GatewayRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
