namespace Overlay.Blocks;

/// <summary>kubo's pin types: a recursive pin keeps a whole DAG, a direct pin one block, and the blocks under a recursive pin are indirectly pinned.</summary>
public enum PinType
{
    Direct,
    Recursive,
    Indirect,
}
