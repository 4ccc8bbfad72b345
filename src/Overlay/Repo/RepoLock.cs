namespace Overlay.Repo;

/// <summary>
/// The daemon's hold on a repo (kubo's <c>repo.lock</c>): the file is opened with
/// <see cref="FileShare.None"/> and kept open, which takes an OS lock (flock on Unix, a share
/// lock on Windows). The OS drops the lock when the process dies, so a killed daemon never leaves
/// a stale lock behind, unlike a marker file. The file itself stays: deleting it while another
/// process waits to open it would let two processes hold "the" lock on two different files.
/// </summary>
public sealed class RepoLock : IDisposable
{
    public const string FileName = "repo.lock";

    private readonly FileStream _stream;

    private RepoLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock on the repo at <paramref name="repoPath"/>.</summary>
    /// <exception cref="RepoException">Another process (or another holder in this one) has it.</exception>
    public static RepoLock Acquire(string repoPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(repoPath);
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(repoPath), FileName);
        try
        {
            return new RepoLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), path);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RepoException($"the repo at {System.IO.Path.GetDirectoryName(path)} is in use by another overlay daemon (it holds {FileName}): stop that one first");
        }
    }

    public void Dispose() => _stream.Dispose();
}
