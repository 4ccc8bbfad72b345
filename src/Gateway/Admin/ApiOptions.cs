using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Overlay.Gateway.Admin;

/// <summary>kubo's boolean and 64-bit options (<c>?only-hash=true</c>, <c>?offset=N</c>), under any of an option's names.</summary>
internal static class ApiOptions
{
    public static bool Boolean(HttpRequest request, bool defaultValue, params string[] names)
    {
        foreach (var name in names)
        {
            var value = request.Query[name];
            if (value.Count == 0)
            {
                continue;
            }
            // A bare "?w" (no value) means true, as kubo's HTTP parser takes it.
            return value.Count == 1 && (string.IsNullOrEmpty(value[0]) || bool.TryParse(value[0], out var parsed))
                ? string.IsNullOrEmpty(value[0]) || bool.Parse(value[0]!)
                : throw new ApiArgumentException($"option \"{name}\" must be true or false, got \"{value}\"");
        }
        return defaultValue;
    }

    public static long? Long(HttpRequest request, long min, params string[] names)
    {
        foreach (var name in names)
        {
            var value = request.Query[name];
            if (value.Count == 0)
            {
                continue;
            }
            return value.Count == 1 && long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min
                ? number
                : throw new ApiArgumentException($"option \"{name}\" must be a whole number of at least {min}, got \"{value}\"");
        }
        return null;
    }

    public static string? Text(HttpRequest request, params string[] names)
    {
        foreach (var name in names)
        {
            var value = request.Query[name];
            if (value.Count > 0)
            {
                return value.Count == 1 ? value[0] : throw new ApiArgumentException($"option \"{name}\" given {value.Count} times");
            }
        }
        return null;
    }
}
