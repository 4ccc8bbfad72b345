namespace Overlay.PubSub;

public enum PubSubRouterKind
{
    /// <summary><c>/floodsub/1.0.0</c>: every message to every subscribed peer.</summary>
    Floodsub,

    /// <summary><c>/meshsub/1.2.0</c> (and 1.1.0, 1.0.0, with floodsub peers served by flooding).</summary>
    Gossipsub,
}
