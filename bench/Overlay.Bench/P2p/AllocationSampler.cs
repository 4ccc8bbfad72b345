using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Overlay.Bench.P2p;

/// <summary>
/// A diagnostic for the analysis, off unless OVERLAY_BENCH_ALLOCATIONS=1: listens to the
/// runtime's allocation-tick events (one per ~100 KB allocated, naming the type that crossed the
/// threshold) and prints which types the allocated bytes went to, on standard error at exit.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public static AllocationSampler? StartIfRequested() =>
        Environment.GetEnvironmentVariable("OVERLAY_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }
        var typeName = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string : null;
        var kind = eventData.PayloadNames.IndexOf("AllocationKind") is var k and >= 0 ? Convert.ToInt32(eventData.Payload[k], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var size = eventData.PayloadNames.IndexOf("ObjectSize") is var o and >= 0 ? Convert.ToInt64(eventData.Payload[o], System.Globalization.CultureInfo.InvariantCulture) : 0;
        // Arrays are told apart by size: which buffer size keeps being allocated says which pool misses.
        var key = (typeName ?? "?") + (typeName?.EndsWith("[]", StringComparison.Ordinal) == true ? $" of {size} bytes" : "") + (kind == 1 ? " (LOH)" : "");
        _bytesByType.AddOrUpdate(key, amount, (_, total) => total + amount);
    }

    public override void Dispose()
    {
        base.Dispose();
        var total = _bytesByType.Values.Sum();
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(15))
        {
            Console.Error.WriteLine($"allocations: {bytes * 100.0 / Math.Max(1, total),5:0.0}%  {type}");
        }
        Console.Error.WriteLine($"allocations: {total / 1e6:0.0} MB sampled; gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
}
