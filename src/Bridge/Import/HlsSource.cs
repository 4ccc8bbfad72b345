using Overlay.Bridge.Hls;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Import;

/// <summary>
/// The local files an import may read: everything a playlist names must be a <c>file:</c> URI
/// inside the root folder (the folder given, or the folder of the playlist given), so a hostile
/// playlist cannot make the importer publish <c>/etc/passwd</c> or <c>../../secrets</c>.
/// </summary>
internal sealed class HlsSource
{
    private static readonly string[] WellKnownNames = ["master.m3u8", "main.m3u8", "index.m3u8", "playlist.m3u8"];

    private HlsSource(string root, string playlist)
    {
        Root = root;
        Playlist = playlist;
    }

    /// <summary>The folder everything must be inside, with a trailing separator.</summary>
    public string Root { get; }

    /// <summary>The top playlist's full path.</summary>
    public string Playlist { get; }

    /// <summary>
    /// A playlist file, or a folder: its one master playlist, else its one media playlist, else
    /// a well-known name (<c>master.m3u8</c>, <c>index.m3u8</c>, …).
    /// </summary>
    public static HlsSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return new HlsSource(WithSeparator(Path.GetDirectoryName(full)!), full);
        }
        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"no such file or folder: {path}", path);
        }
        var root = WithSeparator(full);
        var playlists = Directory.GetFiles(full, "*.m3u8").Order(StringComparer.Ordinal).ToArray();
        if (playlists.Length == 0)
        {
            throw new HlsUnsupportedException($"{path} holds no .m3u8 playlist");
        }
        if (playlists.Length == 1)
        {
            return new HlsSource(root, playlists[0]);
        }
        var source = new HlsSource(root, playlists[0]);
        var masters = playlists.Where(p => source.ReadPlaylist(new Uri(p)) is HlsMasterPlaylist).ToArray();
        if (masters.Length == 1)
        {
            return new HlsSource(root, masters[0]);
        }
        var known = WellKnownNames.Select(n => Path.Combine(full, n)).FirstOrDefault(n => (masters.Length == 0 ? playlists : masters).Contains(n));
        return known is not null
            ? new HlsSource(root, known)
            : throw new HlsUnsupportedException($"{path} holds {playlists.Length} playlists ({masters.Length} master); name the one to import");
    }

    /// <summary>Reads and parses a playlist, bounded before reading.</summary>
    public HlsPlaylist ReadPlaylist(Uri uri)
    {
        var path = LocalPath(uri);
        using var handle = OpenFile(path, uri);
        var length = RandomAccess.GetLength(handle);
        if (length > HlsLimits.MaxPlaylistBytes)
        {
            throw new LimitExceededException(HlsPlaylistParser.Format, "playlist size", HlsLimits.MaxPlaylistBytes, length);
        }
        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var got = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (got == 0)
            {
                break;
            }
            read += got;
        }
        return HlsPlaylistParser.Parse(bytes.AsSpan(0, read), new Uri(path));
    }

    /// <summary>Opens a segment or init file for positional reads.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle OpenSegment(Uri uri) => OpenFile(LocalPath(uri), uri);

    private string LocalPath(Uri uri)
    {
        if (!uri.IsFile)
        {
            throw new HlsUnsupportedException($"{uri} is not a local file; only local HLS folders are imported");
        }
        var path = Path.GetFullPath(uri.LocalPath);
        if (!path.StartsWith(Root, StringComparison.Ordinal))
        {
            throw new HlsUnsupportedException($"{uri} is outside the imported folder {Root}");
        }
        return path;
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenFile(string path, Uri uri)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"{uri} is named by the playlist but does not exist", e);
        }
    }

    private static string WithSeparator(string folder) =>
        folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
}
