using System.Net.Sockets;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Muxing;
using Overlay.Negotiation;
using Overlay.Security.Noise;
using Overlay.Transport;

namespace Overlay.Host;

/// <summary>
/// The stable key under which a refused or cut connection or stream is counted in
/// <see cref="HostMetrics"/> and logged. It comes from the exception's type and its own typed
/// reason (<see cref="NoiseFailure"/>, <see cref="MuxerCloseKind"/>), never from message text, so
/// dashboards and tests can rely on it.
/// </summary>
internal static class RefusalReason
{
    /// <summary>The key for a failed connection upgrade or an ended connection; <paramref name="timeout"/> names a timer that ran out.</summary>
    public static string Of(Exception error, string timeout) => error switch
    {
        OperationCanceledException => timeout,
        NoiseException noise => "noise-" + Kebab(noise.Reason.ToString()),
        NegotiationException => "negotiation-failed",
        // A transport that failed because its Noise layer refused a frame: the Noise reason is the real one.
        MuxerClosedException { Kind: MuxerCloseKind.TransportClosed, InnerException: NoiseException noise } => "noise-" + Kebab(noise.Reason.ToString()),
        MuxerClosedException muxer => Kebab(muxer.Kind.ToString()),
        ConnectionLimitException => "limit",
        ConnectionAbortedException or IOException or SocketException => "connection-lost",
        MalformedDataException => "malformed",
        _ => "failed",
    };

    /// <summary>The key for an inbound stream refused before its handler ran.</summary>
    public static string OfStream(Exception error) => error switch
    {
        OperationCanceledException => "stream-negotiation-timeout",
        NegotiationException => "stream-negotiation-failed",
        StreamResetException => "stream-reset-during-negotiation",
        _ => "stream-" + Of(error, "timeout"),
    };

    /// <summary>True when the remote broke a protocol or stopped answering, as opposed to leaving or losing its link.</summary>
    public static bool IsMisbehaviour(Exception? error) => error switch
    {
        MuxerClosedException { Kind: MuxerCloseKind.ProtocolViolation or MuxerCloseKind.KeepAliveTimeout or MuxerCloseKind.InternalError } => true,
        MuxerClosedException { InnerException: NoiseException } => true,
        _ => false,
    };

    private static string Kebab(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(pascal[i]));
        }
        return text.ToString();
    }
}
