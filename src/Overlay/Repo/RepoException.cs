namespace Overlay.Repo;

/// <summary>
/// The repo folder is not in the state a command needs: absent, not initialised, or already
/// initialised. It is an <see cref="IOException"/> because it describes the file system, not bad bytes.
/// </summary>
public sealed class RepoException : IOException
{
    public RepoException(string message) : base(message) { }
}
