using Overlay.Manifest.Errors;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// A path inside a UnixFS DAG names nothing: a missing entry, or a component that is a file or
/// symlink rather than a directory. The DAG itself is fine, so a gateway answers 404.
/// </summary>
public sealed class UnixFsPathNotFoundException : OverlayException
{
    public UnixFsPathNotFoundException(string path, string reason) : base($"{path}: {reason}")
    {
        Path = path;
    }

    public string Path { get; }
}
