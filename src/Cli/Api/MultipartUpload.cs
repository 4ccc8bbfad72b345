// Body shape: RFC 7578 multipart/form-data, the way kubo's clients send files to /api/v0 (one "file" part per entry).
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Overlay.Cli.Api;

/// <summary>
/// A multipart/form-data request body written while it is sent: each part is opened, copied
/// and closed in turn, so an upload of a large file or a big tree holds one buffer and one open
/// file, never the content. Sent chunked, as its length is not known up front.
/// </summary>
internal sealed class MultipartUpload : HttpContent
{
    private readonly string _boundary = "overlay-" + Guid.NewGuid().ToString("N");
    private readonly Func<CancellationToken, IAsyncEnumerable<UploadPart>> _parts;
    private int _started;

    public MultipartUpload(Func<CancellationToken, IAsyncEnumerable<UploadPart>> parts)
    {
        _parts = parts;
        var type = new MediaTypeHeaderValue("multipart/form-data");
        type.Parameters.Add(new NameValueHeaderValue("boundary", _boundary));
        Headers.ContentType = type;
    }

    public MultipartUpload(params UploadPart[] parts)
        : this(_ => parts.ToAsyncEnumerable())
    {
    }

    /// <summary>Whether sending began: past that point the input may be partly consumed, so there is no trying again elsewhere.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _started, 1);
        var parts = _parts(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var _ = parts.ConfigureAwait(false);
        while (await Source(() => parts.MoveNextAsync().AsTask()).ConfigureAwait(false))
        {
            var part = parts.Current;
            // The name is escaped as go's url.QueryEscape would be read back: every byte that is not unreserved becomes %XX.
            var header = $"--{_boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{Uri.EscapeDataString(part.Name)}\"\r\nContent-Type: {part.ContentType}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken).ConfigureAwait(false);
            if (part.Open is not null)
            {
                var body = await Source(() => Task.FromResult(part.Open())).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await Source(() => body.ReadAsync(buffer, cancellationToken).AsTask()).ConfigureAwait(false)) > 0)
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{_boundary}--\r\n"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What went wrong on our side of the upload (a file that vanished or cannot be read), told
    /// apart from the connection failing: HttpClient wraps both in the same exception.
    /// </summary>
    public Exception? SourceError { get; private set; }

    private async Task<T> Source<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SourceError = e;
            throw;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
