// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/#http-api (/ipfs/{cid}[/{path}], /ipns/{name}[/{path}])
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// A content path read from the request target exactly as the client sent it (not the server's
/// decoded, dot-normalised path), checked strictly before anything looks at content: no
/// <c>.</c> or <c>..</c> segment (plain or percent-encoded), no encoded separator (<c>%2F</c>,
/// <c>%5C</c>), no backslash, no NUL or other control character, valid UTF-8, bounded lengths.
/// Anything else is a 400, so no spelling of a path can reach outside its root.
/// </summary>
internal sealed record ContentPath(string Namespace, string Root, IReadOnlyList<string> Segments, bool TrailingSlash)
{
    /// <summary>Longest request path accepted (Kestrel's own request-line limit is 8 KiB).</summary>
    public const int MaxPathLength = 4096;

    /// <summary>Segments below the root; deeper UnixFS paths are not something a gateway user types.</summary>
    public const int MaxSegments = 64;

    /// <summary>The path as the spec's X-Ipfs-Path shows it: <c>/ipfs/&lt;root&gt;/a/b</c>, re-encoded.</summary>
    public string Display => "/" + Namespace + "/" + Root + string.Concat(Segments.Select(s => "/" + Uri.EscapeDataString(s))) + (TrailingSlash ? "/" : "");

    /// <summary>The inner path below the root, unescaped, for the UnixFS reader.</summary>
    public string Inner => string.Join('/', Segments);

    /// <summary>The raw request path (before the query), as the client sent it.</summary>
    public static string RawPathOf(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        }
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? raw[..query] : raw;
    }

    /// <exception cref="GatewayRequestException">400: the path breaks one of the rules above.</exception>
    public static ContentPath Parse(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (rawPath.Length > MaxPathLength)
        {
            throw Bad($"the path is longer than {MaxPathLength} characters");
        }
        if (!rawPath.StartsWith('/'))
        {
            throw Bad("the request target must be an absolute path");
        }
        if (rawPath.Contains('\\') || rawPath.Contains('#'))
        {
            throw Bad("the path contains a backslash or '#'");
        }
        var parts = rawPath[1..].Split('/');
        if (parts.Length < 2 || parts[0] is not ("ipfs" or "ipns") || parts[1].Length == 0)
        {
            throw Bad("expected /ipfs/<cid>[/path] or /ipns/<name>[/path]");
        }
        var trailing = parts.Length > 2 && parts[^1].Length == 0;
        var count = trailing ? parts.Length - 1 : parts.Length;
        if (count - 2 > MaxSegments)
        {
            throw Bad($"the path has more than {MaxSegments} segments");
        }
        var root = Decode(parts[1]);
        if (!root.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw Bad("the root is not a CID or name");
        }
        var segments = new List<string>(count - 2);
        for (var i = 2; i < count; i++)
        {
            segments.Add(Decode(parts[i]));
        }
        return new ContentPath(parts[0], root, segments, trailing);
    }

    /// <summary>One segment, percent-decoded as strict UTF-8, then checked as a directory entry name.</summary>
    private static string Decode(string raw)
    {
        if (raw.Length == 0)
        {
            throw Bad("the path has an empty segment");
        }
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    throw Bad("the path has a malformed percent-escape");
                }
                bytes.Add((byte)Convert.ToInt32(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c > 0x7e || c < 0x21)
            {
                // Request lines are ASCII; anything else was not sent by a conforming client.
                throw Bad("the path has a character that must be percent-encoded");
            }
            else
            {
                bytes.Add((byte)c);
            }
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw Bad("the path is not valid UTF-8");
        }
        if (text is "." or "..")
        {
            throw Bad("the path has a '.' or '..' segment");
        }
        if (text.Contains('/') || text.Contains('\\'))
        {
            throw Bad("the path has an encoded separator (%2F or %5C)");
        }
        if (text.Any(char.IsControl))
        {
            throw Bad("the path has a control character");
        }
        if (text.Length > UnixFsPath.MaxNameLength)
        {
            throw Bad($"a path segment is longer than {UnixFsPath.MaxNameLength} characters");
        }
        return text;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static GatewayRequestException Bad(string reason) => new(StatusCodes.Status400BadRequest, reason);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
