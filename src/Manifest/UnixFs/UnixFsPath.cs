// Spec: https://specs.ipfs.tech/unixfs/#unixfs-paths
namespace Overlay.Manifest.UnixFs;

/// <summary>Path components inside a UnixFS DAG: what a name may be and how a path splits.</summary>
public static class UnixFsPath
{
    /// <summary>Longest name accepted; POSIX NAME_MAX is 255 bytes, this leaves room for other systems.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> can name a directory entry.</summary>
    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0') || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is not a valid directory entry name", nameof(name));
        }
    }

    /// <summary>
    /// Splits a path into components: empty components and "." are dropped, ".." removes the
    /// component before it; a ".." with nothing before it would leave the root and is refused.
    /// </summary>
    public static IReadOnlyList<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var components = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (components.Count == 0)
                    {
                        throw new ArgumentException($"path '{path}' leaves its root", nameof(path));
                    }
                    components.RemoveAt(components.Count - 1);
                    break;
                default:
                    if (part.Contains('\0'))
                    {
                        throw new ArgumentException($"path '{path}' contains NUL", nameof(path));
                    }
                    components.Add(part);
                    break;
            }
        }
        return components;
    }
}
