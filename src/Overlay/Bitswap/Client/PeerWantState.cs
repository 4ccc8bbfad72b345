namespace Overlay.Bitswap.Client;

/// <summary>What we asked one peer about one block, and what it answered.</summary>
[Flags]
internal enum PeerWantState
{
    None = 0,
    AskedHave = 1,
    AskedBlock = 2,
    Has = 4,
    DontHave = 8,

    /// <summary>Asked for the block and did not deliver within the block timeout.</summary>
    TimedOut = 16,
}
