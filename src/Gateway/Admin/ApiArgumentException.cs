namespace Overlay.Gateway.Admin;

/// <summary>A request whose arguments are missing or malformed; answered with 400 and kubo's client error code.</summary>
internal sealed class ApiArgumentException : Exception
{
    public ApiArgumentException(string message, Exception? inner = null) : base(message, inner) { }
}
