using Overlay.Bitswap.Messages;
using Overlay.Bitswap.Network;
using Overlay.Manifest.Keys;

namespace Overlay.Bitswap.Client;

/// <summary>Wantlist entries decided under the client's lock, handed to the network once it is released.</summary>
internal sealed class WantOutbox
{
    private readonly Dictionary<PeerId, List<BitswapWantlistEntry>> _entries = [];

    public void Add(PeerId peer, BitswapWantlistEntry entry)
    {
        if (!_entries.TryGetValue(peer, out var list))
        {
            list = [];
            _entries[peer] = list;
        }
        list.Add(entry);
    }

    public void SendTo(IBitswapNetwork network)
    {
        foreach (var (peer, entries) in _entries)
        {
            network.EnqueueWants(peer, entries);
        }
        _entries.Clear();
    }
}
