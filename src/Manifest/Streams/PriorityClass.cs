namespace Overlay.Manifest.Streams;

/// <summary>
/// How urgent a bundle is and how long peers may keep it (specs/bundle.md §5). Wire names:
/// <c>live</c>, <c>near_live</c>, <c>vod</c>; lifetimes in <see cref="PriorityClassExtensions"/>.
/// </summary>
public enum PriorityClass
{
    Live,
    NearLive,
    Vod,
}
