namespace Overlay.Host;

/// <summary>
/// Inbound connections still in their handshake, oldest first, at most a fixed number. When it is
/// full a newcomer takes the slot of the oldest, whose handshake is cut: a crowd of peers that
/// connect and stall can then hold an honest peer up by no more than its own handshake takes,
/// where refusing newcomers would lock honest peers out until the stallers' timeout.
/// </summary>
internal sealed class PendingHandshakes
{
    private readonly Lock _sync = new();
    private readonly LinkedList<Slot> _slots = new();
    private readonly int _capacity;

    public PendingHandshakes(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Takes a slot for a new handshake, evicting the oldest when all are taken.</summary>
    public Slot Enter()
    {
        var slot = new Slot(this);
        Slot? evicted = null;
        lock (_sync)
        {
            if (_slots.Count >= _capacity)
            {
                evicted = _slots.First!.Value;
                Remove(evicted);
            }
            slot.Node = _slots.AddLast(slot);
        }
        // Outside the lock: cancelling runs the evicted handshake's cancellation callbacks.
        evicted?.Evict();
        return slot;
    }

    private void Remove(Slot slot)
    {
        if (slot.Node is { } node)
        {
            _slots.Remove(node);
            slot.Node = null;
        }
    }

    private void Leave(Slot slot)
    {
        lock (_sync)
        {
            Remove(slot);
        }
    }

    /// <summary>One handshake's place; disposing it gives the place back.</summary>
    public sealed class Slot : IDisposable
    {
        private readonly PendingHandshakes _owner;

        // Never disposed: it has no timer, and the handshake's linked source unregisters from it,
        // so an eviction racing with the handshake's end cannot hit a disposed source.
        private readonly CancellationTokenSource _evicted = new();

        internal Slot(PendingHandshakes owner) => _owner = owner;

        internal LinkedListNode<Slot>? Node { get; set; }

        /// <summary>Fires when a newer handshake took this one's place.</summary>
        public CancellationToken Evicted => _evicted.Token;

        public bool WasEvicted => _evicted.IsCancellationRequested;

        internal void Evict() => _evicted.Cancel();

        public void Dispose() => _owner.Leave(this);
    }
}
