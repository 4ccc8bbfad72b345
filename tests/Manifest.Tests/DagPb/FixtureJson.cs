using System.Text.Json;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.DagPb;

/// <summary>
/// Reads the DAG-JSON values embedded in the codec fixtures ({"/": cid}, {"/": {"bytes": b64}},
/// integers, strings, lists, maps) into the data model. Test-only: enough for dag-pb forms,
/// not a DAG-JSON codec (no float or strictness rules).
/// </summary>
internal static class FixtureJson
{
    public static IpldNode Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ToIpld(document.RootElement);
    }

    public static IpldNode ToIpld(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => IpldNull.Instance,
        JsonValueKind.True => IpldBoolean.True,
        JsonValueKind.False => IpldBoolean.False,
        JsonValueKind.String => new IpldString(element.GetString()!),
        JsonValueKind.Number when element.TryGetInt64(out var integer) => new IpldInteger(integer),
        JsonValueKind.Number => new IpldFloat(element.GetDouble()),
        JsonValueKind.Array => new IpldList(element.EnumerateArray().Select(ToIpld)),
        JsonValueKind.Object => ObjectToIpld(element),
        _ => throw new ArgumentException($"unexpected JSON {element.ValueKind}"),
    };

    private static IpldNode ObjectToIpld(JsonElement element)
    {
        if (element.TryGetProperty("/", out var slash) && element.EnumerateObject().Count() == 1)
        {
            if (slash.ValueKind == JsonValueKind.String)
            {
                return new IpldLink(Cid.Parse(slash.GetString()!));
            }
            if (slash.ValueKind == JsonValueKind.Object && slash.TryGetProperty("bytes", out var b64))
            {
                var text = b64.GetString()!;
                text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
                return new IpldBytes(Convert.FromBase64String(text));
            }
        }
        return new IpldMap(element.EnumerateObject().Select(p => new KeyValuePair<string, IpldNode>(p.Name, ToIpld(p.Value))));
    }
}
