namespace Overlay.Tests.PubSub;

/// <summary>Tests that measure process-wide allocation run alone, so other tests' garbage does not blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialPubSubCollection
{
    public const string Name = "pubsub serial";
}
