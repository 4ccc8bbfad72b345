// Spec: https://specs.ipfs.tech/http-gateways/trustless-gateway/#entity-bytes-request-query-parameter
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Overlay.Gateway.Ipfs;

/// <summary><c>entity-bytes=from:to</c>: inclusive, either end may count back from the end (negative), <c>to</c> may be <c>*</c>.</summary>
internal sealed record EntityBytes(long From, long? To)
{
    public static EntityBytes Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var from)
            || (text[(colon + 1)..] is var to && to != "*" && !long.TryParse(to, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"entity-bytes \"{text}\" is not from:to");
        }
        var end = text[(colon + 1)..];
        return new EntityBytes(from, end == "*" ? null : long.Parse(end, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    /// <summary>The offset and length within a file of <paramref name="size"/> bytes; null when the range is empty.</summary>
    public (long Offset, long Length)? Resolve(long size)
    {
        var from = From < 0 ? Math.Max(0, size + From) : From;
        var to = To is { } t ? (t < 0 ? size + t : Math.Min(t, size - 1)) : size - 1;
        return from < size && to >= from ? (from, to - from + 1) : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From}:{(To is { } t ? t.ToString(CultureInfo.InvariantCulture) : "*")}");
}
