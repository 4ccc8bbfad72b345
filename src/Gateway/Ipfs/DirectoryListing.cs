using System.Net;
using System.Text;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Ipfs;

/// <summary>The HTML page for a directory without an index.html: one row per entry, every name escaped.</summary>
internal static class DirectoryListing
{
    /// <summary>Entries shown; a HAMT directory can hold millions, and the page is built in memory.</summary>
    public const int MaxEntries = 10_000;

    public static async Task<byte[]> RenderAsync(ContentRequest request, UnixFsReader reader, Cid directory, CancellationToken cancellationToken)
    {
        var title = WebUtility.HtmlEncode(request.Path.Display);
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head><body>\n")
            .Append("<h1>Index of ").Append(title).Append("</h1>\n<p>").Append(directory).Append("</p>\n<table>\n");
        if (request.Path.Segments.Count > 0)
        {
            html.Append("<tr><td><a href=\"..\">..</a></td><td></td><td></td></tr>\n");
        }
        var shown = 0;
        var more = false;
        await foreach (var entry in reader.ListAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (shown == MaxEntries)
            {
                more = true;
                break;
            }
            shown++;
            var href = "./" + Uri.EscapeDataString(entry.Name);
            html.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">").Append(WebUtility.HtmlEncode(entry.Name)).Append("</a></td>")
                .Append("<td>").Append(entry.Cid).Append("</td><td>").Append(entry.DagSize).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        if (more)
        {
            html.Append("<p>Only the first ").Append(MaxEntries).Append(" entries are shown.</p>\n");
        }
        html.Append("</body></html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }
}
