using Overlay.Manifest.Errors;

namespace Overlay.PubSub.Rpc;

/// <summary>Running counts of repeated entries while one RPC is decoded.</summary>
internal sealed class DecodeBudget(RpcLimits limits)
{
    public int Subscriptions;
    public int Messages;
    public int ControlEntries;
    public int MessageIds;

    public RpcLimits Limits { get; } = limits;

    public void Take(ref int counter, int limit, string what)
    {
        if (++counter > limit)
        {
            throw new LimitExceededException(PubSubRpcCodec.FormatName, what, limit, counter);
        }
    }
}
