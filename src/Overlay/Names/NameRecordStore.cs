using Overlay.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;

namespace Overlay.Names;

/// <summary>
/// The repo's <c>ipns/</c> folder: the best record known for each name, one file per name
/// (<c>&lt;k51 name&gt;.ipns</c>, the record's exact bytes), replaced whole. Files are hostile
/// input on load: bounded, validated against the name in their file name, expired ones removed.
/// </summary>
internal sealed class NameRecordStore(string folder)
{
    public const string FolderName = "ipns";
    private const string Extension = ".ipns";

    public void Save(PeerId name, IpnsRecord record)
    {
        Directory.CreateDirectory(folder);
        DurableFile.Write(folder, name.ToBase36Name() + Extension, record.Bytes);
    }

    public IEnumerable<(PeerId Name, IpnsRecord Record)> Load(DateTimeOffset now)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            if (!PeerId.TryParse(Path.GetFileNameWithoutExtension(path), out var name) || name is null)
            {
                continue;
            }
            IpnsRecord? record = null;
            try
            {
                if (new FileInfo(path).Length <= IpnsRecord.MaxSize)
                {
                    record = IpnsRecord.Validate(File.ReadAllBytes(path), name, now);
                }
            }
            catch (OverlayException)
            {
                // Expired or damaged: useless to resolve with, so it goes.
            }
            if (record is null)
            {
                File.Delete(path);
                continue;
            }
            yield return (name, record);
        }
    }
}
