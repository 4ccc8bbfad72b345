using System.Text;
using Overlay.Addressing;
using Overlay.Manifest.Errors;

namespace Overlay.Repo;

/// <summary>
/// The repo's <c>api</c> file (kubo's <c>$IPFS_PATH/api</c>): the multiaddr of the running
/// daemon's admin API, e.g. <c>/ip4/127.0.0.1/tcp/7779</c>. The daemon writes it once the API
/// listens and deletes it on a clean shutdown; a daemon that was killed leaves it behind, so a
/// reader must still expect nobody to answer there. The gateway's address is kept the same way
/// in <see cref="GatewayFileName"/> (kubo's <c>$IPFS_PATH/gateway</c>, here a multiaddr too), so
/// <c>overlay play</c> can print a URL that works whatever port the daemon was given.
/// </summary>
public static class ApiFile
{
    public const string FileName = "api";

    public const string GatewayFileName = "gateway";

    /// <summary>A multiaddr is at most <see cref="Multiaddr.MaxBinaryLength"/> bytes; its text a few times that.</summary>
    private const int MaxLength = 4 * Multiaddr.MaxBinaryLength;

    private const string FormatName = "api file";

    public static string PathIn(string repoPath, string fileName = FileName) => Path.Combine(repoPath, fileName);

    /// <summary>Replaces the file atomically, so a reader never sees half an address.</summary>
    public static void Write(string repoPath, Multiaddr address, string fileName = FileName)
    {
        var path = PathIn(repoPath, fileName);
        var temp = Path.Combine(repoPath, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, address.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The address in the file, or null when there is no file.</summary>
    /// <exception cref="MalformedDataException">The file does not hold one multiaddr.</exception>
    public static Multiaddr? TryRead(string repoPath, string fileName = FileName)
    {
        var path = PathIn(repoPath, fileName);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxLength)
            {
                throw new LimitExceededException(FormatName, "api file length", MaxLength, stream.Length);
            }
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(bytes).Trim();
        try
        {
            return Multiaddr.Parse(text);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(FormatName, $"{path} does not hold a multiaddr: {e.Message}", e);
        }
    }

    /// <summary>Removes the file; nothing happens when it is already gone.</summary>
    public static void Delete(string repoPath, string fileName = FileName) => File.Delete(PathIn(repoPath, fileName));
}
