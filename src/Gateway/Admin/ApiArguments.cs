using Microsoft.AspNetCore.Http;
using Overlay.Addressing;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Gateway.Admin;

/// <summary>Reads kubo-style query arguments (<c>?arg=…&amp;count=…</c>), turning bad ones into <see cref="ApiArgumentException"/>.</summary>
internal static class ApiArguments
{
    public const string Arg = "arg";

    public static IReadOnlyList<string> All(HttpRequest request) =>
        request.Query[Arg].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToArray();

    public static string Required(HttpRequest request, string what)
    {
        var args = All(request);
        return args.Count switch
        {
            1 => args[0],
            0 => throw new ApiArgumentException($"argument \"{what}\" is required"),
            _ => throw new ApiArgumentException($"expected one argument \"{what}\", got {args.Count}"),
        };
    }

    public static string? Optional(HttpRequest request, string what)
    {
        var args = All(request);
        return args.Count <= 1 ? args.FirstOrDefault() : throw new ApiArgumentException($"expected at most one argument \"{what}\", got {args.Count}");
    }

    /// <summary>An integer option given under any of <paramref name="names"/> (kubo accepts an option's aliases).</summary>
    public static int Integer(HttpRequest request, int defaultValue, int min, int max, params string[] names)
    {
        foreach (var name in names)
        {
            var value = request.Query[name];
            if (value.Count == 0)
            {
                continue;
            }
            if (value.Count > 1 || !int.TryParse(value[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                || number < min || number > max)
            {
                throw new ApiArgumentException($"option \"{name}\" must be a whole number from {min} to {max}, got \"{value}\"");
            }
            return number;
        }
        return defaultValue;
    }

    public static Multiaddr Multiaddress(string text)
    {
        try
        {
            return Multiaddr.Parse(text);
        }
        catch (MalformedDataException e)
        {
            throw new ApiArgumentException($"invalid multiaddr \"{text}\": {e.Message}", e);
        }
    }

    public static PeerId Peer(string text) =>
        PeerId.TryParse(text, out var peer) ? peer! : throw new ApiArgumentException($"invalid peer ID \"{text}\"");
}
