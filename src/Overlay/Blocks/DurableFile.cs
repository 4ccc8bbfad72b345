namespace Overlay.Blocks;

/// <summary>Whole-file replacement that a crash cannot half-do: temp file, fsync, rename, folder fsync.</summary>
internal static class DurableFile
{
    public static void Write(string directory, string name, ReadOnlySpan<byte> content)
    {
        var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
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
