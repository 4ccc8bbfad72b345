using System.Text.Json.Serialization;
using Overlay.Blocks;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/pin/ls</c>: kubo's <c>{"Keys":{cid:{"Type":"recursive"}}}</c>.</summary>
public sealed record PinLsResponse([property: JsonPropertyName("Keys")] IReadOnlyDictionary<string, PinLsEntry> Keys)
{
    /// <summary>The listing in kubo's shape (a CID pinned two ways keeps its first, strongest type).</summary>
    public static PinLsResponse Of(IEnumerable<PinnedCid> pins)
    {
        var keys = new Dictionary<string, PinLsEntry>(StringComparer.Ordinal);
        foreach (var pin in pins)
        {
            keys.TryAdd(pin.Cid.ToString(), new PinLsEntry(pin.TypeName));
        }
        return new PinLsResponse(keys);
    }
}
