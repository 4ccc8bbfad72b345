// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/#content-type-response-header (extension, then sniffing)
using System.Text;
using Microsoft.AspNetCore.StaticFiles;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// The Content-Type of a UnixFS file: from the name's extension when it has a known one, else
/// from the first bytes (a few magic numbers, HTML, UTF-8 text), else octet-stream.
/// </summary>
internal static class ContentTypes
{
    /// <summary>Bytes looked at for sniffing (the WHATWG sniffing algorithm's resource header).</summary>
    public const int SniffLength = 512;

    public const string OctetStream = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider Extensions = CreateProvider();

    public static string? FromName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !Extensions.TryGetContentType(name, out var type))
        {
            return null;
        }
        return type.StartsWith("text/", StringComparison.Ordinal) && !type.Contains("charset", StringComparison.Ordinal) ? type + "; charset=utf-8" : type;
    }

    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        {
            return "image/png";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xff, 0xd8, 0xff]))
        {
            return "image/jpeg";
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return "video/mp4";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1a, 0x45, 0xdf, 0xa3]))
        {
            return "video/webm";
        }
        if (head.StartsWith("RIFF"u8) && head.Length >= 12 && head.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        if (head.StartsWith("PK\x03\x04"u8))
        {
            return "application/zip";
        }
        if (head.StartsWith("\0asm"u8))
        {
            return "application/wasm";
        }
        if (head.Length > 0 && head[0] == 0x47 && (head.Length < 189 || head[188] == 0x47))
        {
            // MPEG-TS: 188-byte packets each starting with the 0x47 sync byte.
            return "video/mp2t";
        }
        var text = head.TrimStart(" \t\r\n"u8);
        if (StartsWithIgnoreCase(text, "<!doctype html") || StartsWithIgnoreCase(text, "<html") || StartsWithIgnoreCase(text, "<head") || StartsWithIgnoreCase(text, "<body"))
        {
            return "text/html; charset=utf-8";
        }
        if (StartsWithIgnoreCase(text, "<svg") || (StartsWithIgnoreCase(text, "<?xml") && Encoding.ASCII.GetString(text).Contains("<svg", StringComparison.OrdinalIgnoreCase)))
        {
            return "image/svg+xml";
        }
        return LooksLikeText(head) ? "text/plain; charset=utf-8" : OctetStream;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> data, string prefix) =>
        data.Length >= prefix.Length && Encoding.ASCII.GetString(data[..prefix.Length]).Equals(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>No binary control bytes, and valid UTF-8 except a sequence cut at the end of the sample.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x20 && b is not (0x09 or 0x0a or 0x0c or 0x0d or 0x1b))
            {
                return false;
            }
        }
        var cut = head.Length;
        // Allow a multi-byte sequence truncated by the sample length.
        for (var back = 1; back <= 3 && head.Length - back >= 0; back++)
        {
            if ((head[head.Length - back] & 0xc0) != 0x80)
            {
                if (head[head.Length - back] >= 0xc0)
                {
                    cut = head.Length - back;
                }
                break;
            }
        }
        return System.Text.Unicode.Utf8.IsValid(head[..cut]);
    }

    private static FileExtensionContentTypeProvider CreateProvider()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".m3u8"] = "application/vnd.apple.mpegurl";
        provider.Mappings[".ts"] = "video/mp2t";
        provider.Mappings[".m4s"] = "video/iso.segment";
        provider.Mappings[".mjs"] = "text/javascript";
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".car"] = "application/vnd.ipld.car";
        return provider;
    }
}
