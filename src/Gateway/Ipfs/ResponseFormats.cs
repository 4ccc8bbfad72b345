// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/#format-request-query-parameter and #accept-request-header
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Overlay.Gateway.Ipfs;

/// <summary>Reads the <see cref="ResponseFormat"/> a request asks for.</summary>
internal static class ResponseFormats
{
    public const string RawType = "application/vnd.ipld.raw";
    public const string CarType = "application/vnd.ipld.car";
    public const string DagJsonType = "application/vnd.ipld.dag-json";
    public const string DagCborType = "application/vnd.ipld.dag-cbor";

    /// <exception cref="GatewayRequestException">400: an unknown <c>format</c> value.</exception>
    public static ResponseFormat Of(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var values) && values.Count > 0)
        {
            return values[^1] switch
            {
                "raw" => ResponseFormat.Raw,
                "car" => ResponseFormat.Car,
                "dag-json" or "json" => ResponseFormat.DagJson,
                "dag-cbor" or "cbor" => ResponseFormat.DagCbor,
                var other => throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"format \"{other}\" is not one of raw, car, dag-json, dag-cbor"),
            };
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.ToArray()!, out var accepted))
        {
            return ResponseFormat.Default;
        }
        foreach (var type in accepted.OrderByDescending(t => t.Quality ?? 1.0))
        {
            var name = type.MediaType.Value;
            var format = name switch
            {
                RawType => ResponseFormat.Raw,
                CarType => ResponseFormat.Car,
                DagJsonType or "application/json" => ResponseFormat.DagJson,
                DagCborType or "application/cbor" => ResponseFormat.DagCbor,
                _ => (ResponseFormat?)null,
            };
            if (format is { } known)
            {
                return known;
            }
        }
        return ResponseFormat.Default;
    }

    /// <summary>A CAR's <c>version</c>, <c>order</c> and <c>dups</c> Accept parameters, where we only produce v1, dfs, no duplicates.</summary>
    public static void CheckCarParameters(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.ToArray()!, out var accepted))
        {
            return;
        }
        foreach (var type in accepted.Where(t => t.MediaType.Value == CarType))
        {
            foreach (var parameter in type.Parameters)
            {
                var value = parameter.Value.Value?.Trim('"');
                var ok = parameter.Name.Value switch
                {
                    "version" => value == "1",
                    "order" => value is "dfs" or "unk",
                    "dups" => value is "n" or "y",
                    _ => true,
                };
                if (!ok)
                {
                    throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"CAR {parameter.Name}={value} is not supported (version=1, order=dfs, dups=n)");
                }
            }
        }
    }
}
