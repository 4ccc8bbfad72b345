// Request shape: RFC 7578 multipart/form-data, as kubo's RPC clients send files (go-ipfs-files' multifilereader).
using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Reads the multipart/form-data bodies of <c>add</c>, <c>block/put</c> and <c>pubsub/pub</c>
/// section by section straight off the connection, so a large upload is never held whole.
/// </summary>
internal static class ApiMultipart
{
    public const string DirectoryType = "application/x-directory";
    public const string SymlinkType = "application/symlink";

    /// <summary>RFC 2046 caps a boundary at 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    /// <summary>
    /// A reader over the request body, whose size limit becomes <paramref name="maxBodySize"/>
    /// (null: unbounded, for <c>add</c>, whose parts are streamed into the importer).
    /// </summary>
    public static MultipartReader Open(HttpContext context, long? maxBodySize)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodySize;
        }
        if (maxBodySize is null && context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            // An add from a pipe (a live recording into stdin) may pause for longer than Kestrel's
            // minimum data rate allows; the client is on this machine, so a slow one costs nothing.
            rate.MinDataRate = null;
        }
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiArgumentException("expected a multipart/form-data body with the file");
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            throw new ApiArgumentException("the multipart body has no valid boundary");
        }
        return new MultipartReader(boundary, context.Request.Body);
    }

    /// <summary>The part's file name (go's url.QueryEscape undone), or "" when it names none.</summary>
    public static string FileName(MultipartSection section)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
        {
            return "";
        }
        var raw = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }
        try
        {
            return Uri.UnescapeDataString(raw.Replace('+', ' '));
        }
        catch (UriFormatException e)
        {
            throw new ApiArgumentException($"the part name \"{raw}\" is not valid: {e.Message}", e);
        }
    }

    /// <summary>The part's media type, lower case; "" when it gives none.</summary>
    public static string ContentType(MultipartSection section) =>
        MediaTypeHeaderValue.TryParse(section.ContentType, out var type) ? type.MediaType.Value?.ToLowerInvariant() ?? "" : "";

    /// <summary>The first part that carries a file, or an argument error naming <paramref name="what"/>.</summary>
    public static async Task<MultipartSection> FirstAsync(MultipartReader reader, string what, CancellationToken cancellationToken) =>
        await NextAsync(reader, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiArgumentException($"argument \"{what}\" is required: send it as a multipart file");

    /// <summary>The next part, or null after the last; a body that breaks the multipart framing is the client's error.</summary>
    public static async Task<MultipartSection?> NextAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiArgumentException($"the multipart body is malformed: {e.Message.Trim()}", e);
        }
    }

    /// <summary>The whole part, refused once it passes <paramref name="maxLength"/> bytes (checked before holding more).</summary>
    public static async Task<byte[]> ReadAllAsync(Stream body, int maxLength, Func<Exception> tooLong, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxLength)
            {
                throw tooLong();
            }
        }
    }
}
