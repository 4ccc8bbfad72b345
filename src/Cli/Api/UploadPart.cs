namespace Overlay.Cli.Api;

/// <summary>
/// One part of a <see cref="MultipartUpload"/>: its path-like name, its media type, and how to
/// open its body (null: no body, as for a directory part). Opened only when it is sent.
/// </summary>
internal sealed record UploadPart(string Name, string ContentType, Func<Stream>? Open)
{
    public const string FileType = "application/octet-stream";
    public const string DirectoryType = "application/x-directory";
    public const string SymlinkType = "application/symlink";
}
