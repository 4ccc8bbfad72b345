// Spec: specs/stream-protocol.md §6 (what survives a restart).
using Overlay.Blocks;
using Overlay.Manifest.Keys;

namespace Overlay.Streams;

/// <summary>
/// The repo's <c>streams/</c> folder: per known stream, its newest verified head block
/// (<c>&lt;k51&gt;.head</c>, replaced durably) and, for streams this node publishes, an
/// <c>&lt;k51&gt;.own</c> marker. Heads are verified again when read back.
/// </summary>
internal sealed class StreamStateStore(string folder)
{
    public const string FolderName = "streams";

    public string Folder => folder;

    private const string HeadSuffix = ".head";
    private const string OwnSuffix = ".own";
    private const string CarriedSuffix = ".carried";

    public void Save(PeerId stream, ReadOnlySpan<byte> head, bool own)
    {
        Directory.CreateDirectory(folder);
        var name = stream.ToBase36Name();
        DurableFile.Write(folder, name + HeadSuffix, head);
        if (own && !File.Exists(Path.Combine(folder, name + OwnSuffix)))
        {
            DurableFile.Write(folder, name + OwnSuffix, []);
        }
    }

    /// <summary>Marks (or unmarks) a stream as carried for others rather than followed (specs/sync.md §4).</summary>
    public void SaveCarried(PeerId stream, bool carried)
    {
        Directory.CreateDirectory(folder);
        var name = stream.ToBase36Name() + CarriedSuffix;
        if (carried && !File.Exists(Path.Combine(folder, name)))
        {
            DurableFile.Write(folder, name, []);
        }
        else if (!carried && File.Exists(Path.Combine(folder, name)))
        {
            File.Delete(Path.Combine(folder, name));
            DirectorySync.Flush(folder);
        }
    }

    public bool IsCarried(PeerId stream) => File.Exists(Path.Combine(folder, stream.ToBase36Name() + CarriedSuffix));

    /// <summary>Every saved stream with its head bytes (bounded by the head size cap) and whether it is ours.</summary>
    public IEnumerable<(PeerId Stream, byte[] Head, bool Own)> Load()
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*" + HeadSuffix))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!PeerId.TryParse(name, out var stream) || new FileInfo(path).Length > Manifest.Streams.StreamLimits.MaxHeadBytes)
            {
                continue;
            }
            yield return (stream!, File.ReadAllBytes(path), File.Exists(Path.Combine(folder, name + OwnSuffix)));
        }
    }
}
