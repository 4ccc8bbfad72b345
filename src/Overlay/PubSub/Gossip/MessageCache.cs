// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.0.md#message-cache
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

/// <summary>
/// Recent messages in heartbeat-sized windows: the newest <c>gossip</c> windows are advertised in
/// IHAVE, all <c>history</c> windows answer IWANT. Also counts how often each peer asked for each
/// message, so IWANT floods for the same message are refused. Not thread-safe.
/// </summary>
internal sealed class MessageCache
{
    private readonly int _gossip;
    private readonly LinkedList<List<Entry>> _windows = new();
    private readonly Dictionary<string, Entry> _messages = new(StringComparer.Ordinal);

    public MessageCache(int history, int gossip)
    {
        if (gossip > history || history < 1)
        {
            throw new ArgumentException("need 1 <= gossip windows <= history windows");
        }
        _gossip = gossip;
        for (var i = 0; i < history; i++)
        {
            _windows.AddLast([]);
        }
    }

    public int Count => _messages.Count;

    public void Put(string key, byte[] id, RpcMessage message)
    {
        if (_messages.ContainsKey(key))
        {
            return;
        }
        var entry = new Entry(key, id, message);
        _messages[key] = entry;
        _windows.First!.Value.Add(entry);
    }

    /// <summary>The message for an IWANT from <paramref name="peer"/>, with how many times that peer has now asked for it.</summary>
    public RpcMessage? GetForPeer(string key, PeerId peer, out int requests)
    {
        requests = 0;
        if (!_messages.TryGetValue(key, out var entry))
        {
            return null;
        }
        entry.Requests.TryGetValue(peer, out requests);
        entry.Requests[peer] = ++requests;
        return entry.Message;
    }

    public List<byte[]> GossipIds(string topic)
    {
        var ids = new List<byte[]>();
        var window = _windows.First;
        for (var i = 0; i < _gossip && window is not null; i++, window = window.Next)
        {
            ids.AddRange(window.Value.Where(e => e.Message.Topic == topic).Select(e => e.Id));
        }
        return ids;
    }

    /// <summary>Ages the cache by one heartbeat: the oldest window is forgotten.</summary>
    public void Shift()
    {
        foreach (var entry in _windows.Last!.Value)
        {
            _messages.Remove(entry.Key);
        }
        _windows.RemoveLast();
        _windows.AddFirst([]);
    }

    private sealed record Entry(string Key, byte[] Id, RpcMessage Message)
    {
        public Dictionary<PeerId, int> Requests { get; } = [];
    }
}
