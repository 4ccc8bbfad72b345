// Spec: https://github.com/multiformats/multistream-select and libp2p/specs connections/README.md#protocol-negotiation
using System.Buffers;
using System.IO.Pipelines;

namespace Overlay.Negotiation;

/// <summary>
/// `/multistream/1.0.0` for both roles. The dialer pipelines its header with its first proposal
/// and the listener answers both in one write, so a successful first choice costs one round trip.
/// Time limits come from the caller's cancellation token.
/// </summary>
public static class MultistreamSelect
{
    public const string ProtocolId = "/multistream/1.0.0";

    private const string NotAvailable = "na";
    private const string List = "ls";

    /// <summary>A peer that keeps proposing unknown protocols is cut off after this many.</summary>
    public const int MaxProposals = 32;

    /// <summary>Protocol ids longer than this are refused (js-libp2p and go-libp2p use the same cap).</summary>
    public const int MaxProtocolLength = 1024;

    /// <summary>Proposes <paramref name="protocols"/> in order; returns the one the listener accepted.</summary>
    public static async ValueTask<string> SelectAsync(IDuplexPipe pipe, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("at least one protocol is needed", nameof(protocols));
        }
        MultistreamMessage.Write(pipe.Output, ProtocolId);
        MultistreamMessage.Write(pipe.Output, protocols[0]);
        await FlushAsync(pipe.Output, cancellationToken).ConfigureAwait(false);
        var header = await MultistreamMessage.ReadAsync(pipe.Input, MaxProtocolLength, cancellationToken).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new NegotiationException($"peer speaks '{Shorten(header)}', not {ProtocolId}");
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                MultistreamMessage.Write(pipe.Output, protocols[i]);
                await FlushAsync(pipe.Output, cancellationToken).ConfigureAwait(false);
            }
            var answer = await MultistreamMessage.ReadAsync(pipe.Input, MaxProtocolLength, cancellationToken).ConfigureAwait(false);
            if (answer == protocols[i])
            {
                return answer;
            }
            if (answer != NotAvailable)
            {
                throw new NegotiationException($"peer answered '{Shorten(answer)}' to a proposal of '{protocols[i]}'");
            }
        }
        throw new NegotiationException($"peer supports none of: {string.Join(", ", protocols)}");
    }

    /// <summary>Answers proposals until one of <paramref name="supported"/> is chosen; returns it.</summary>
    public static async ValueTask<string> HandleAsync(IDuplexPipe pipe, IReadOnlyCollection<string> supported, CancellationToken cancellationToken)
    {
        var header = await MultistreamMessage.ReadAsync(pipe.Input, MaxProtocolLength, cancellationToken).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new NegotiationException($"peer speaks '{Shorten(header)}', not {ProtocolId}");
        }
        MultistreamMessage.Write(pipe.Output, ProtocolId);
        for (var proposals = 0; proposals < MaxProposals; proposals++)
        {
            var proposal = await MultistreamMessage.ReadAsync(pipe.Input, MaxProtocolLength, cancellationToken).ConfigureAwait(false);
            if (proposal == List)
            {
                WriteList(pipe.Output, supported);
            }
            else if (supported.Contains(proposal))
            {
                MultistreamMessage.Write(pipe.Output, proposal);
                await FlushAsync(pipe.Output, cancellationToken).ConfigureAwait(false);
                return proposal;
            }
            else
            {
                MultistreamMessage.Write(pipe.Output, NotAvailable);
            }
            await FlushAsync(pipe.Output, cancellationToken).ConfigureAwait(false);
        }
        throw new NegotiationException($"peer made more than {MaxProposals} proposals without agreement");
    }

    /// <summary>Asks the listener which protocols it supports (`ls`).</summary>
    public static async ValueTask<IReadOnlyList<string>> ListAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        MultistreamMessage.Write(pipe.Output, ProtocolId);
        MultistreamMessage.Write(pipe.Output, List);
        await FlushAsync(pipe.Output, cancellationToken).ConfigureAwait(false);
        var header = await MultistreamMessage.ReadAsync(pipe.Input, MaxProtocolLength, cancellationToken).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new NegotiationException($"peer speaks '{Shorten(header)}', not {ProtocolId}");
        }
        var answer = await MultistreamMessage.ReadRawAsync(pipe.Input, MultistreamMessage.MaxMessageLength, cancellationToken).ConfigureAwait(false);
        // The answer's body is itself a sequence of messages, one per protocol.
        var bytes = new System.Buffers.ReadOnlySequence<byte>(answer);
        var protocols = new List<string>();
        while (!bytes.IsEmpty)
        {
            if (!MultistreamMessage.TryParse(ref bytes, MaxProtocolLength, out var protocol))
            {
                throw new NegotiationException("truncated protocol in an `ls` answer");
            }
            protocols.Add(System.Text.Encoding.UTF8.GetString(protocol));
        }
        return protocols;
    }

    private static void WriteList(PipeWriter output, IReadOnlyCollection<string> supported)
    {
        // The answer is one message whose body is the concatenation of one message per protocol.
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var protocol in supported)
        {
            var encoded = System.Text.Encoding.UTF8.GetBytes(protocol);
            var prefix = Overlay.Manifest.Multiformats.Varint.Encode((ulong)encoded.Length + 1);
            body.Write(prefix);
            body.Write(encoded);
            body.Write("\n"u8);
        }
        MultistreamMessage.WriteRaw(output, body.WrittenSpan);
    }

    private static async ValueTask FlushAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new NegotiationException("stream closed during protocol negotiation");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
