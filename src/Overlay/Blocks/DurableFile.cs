namespace Overlay.Blocks;

/// <summary>Whole-file replacement that a crash cannot half-do: temp file, fsync, rename, folder fsync.</summary>
internal static class DurableFile
{
    /// <param name="ownerOnly">
    /// Create the temporary file readable and writable by its owner only (keys): set at creation,
    /// so the bytes are never readable by others, not even for an instant. Ignored on Windows.
    /// </param>
    public static void Write(string directory, string name, ReadOnlySpan<byte> content, bool ownerOnly = false)
    {
        var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(directory, name), overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        DirectorySync.Flush(directory);
    }
}
