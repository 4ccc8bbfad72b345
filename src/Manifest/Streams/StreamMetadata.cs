// Spec: specs/manifest.md §2 (title, poster, rends: inline in every signed head).
using System.Text;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>What a viewer sees of a stream: signed in every head, so it cannot be swapped.</summary>
public sealed record StreamMetadata
{
    public static StreamMetadata Empty { get; } = new();

    public string Title { get; init; } = "";

    /// <summary>Poster image (a UnixFS file: CIDv1 raw or dag-pb, sha2-256), or null.</summary>
    public Cid? Poster { get; init; }

    /// <summary>Variant streams in master-playlist order; empty for a single-rendition stream.</summary>
    public IReadOnlyList<Rendition> Renditions { get; init; } = [];

    public bool Equals(StreamMetadata? other) =>
        other is not null && Title == other.Title && Poster == other.Poster && Renditions.SequenceEqual(other.Renditions);

    public override int GetHashCode() => HashCode.Combine(Title, Poster, Renditions.Count);

    internal string? Problem()
    {
        if (Title is null || Encoding.UTF8.GetByteCount(Title) > StreamLimits.MaxTitleBytes || Title.Any(c => c < ' ' || c is >= '\u007f' and <= '\u009f'))
        {
            return "title must be at most 256 UTF-8 bytes without control characters";
        }
        if (Poster is not null && !StreamFields.IsContentLink(Poster))
        {
            return "poster must be a CIDv1 raw or dag-pb sha2-256 link";
        }
        if (Renditions is null || Renditions.Count > StreamLimits.MaxRenditions)
        {
            return $"at most {StreamLimits.MaxRenditions} renditions";
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rendition in Renditions)
        {
            if (rendition?.Problem() is { } problem)
            {
                return problem;
            }
            if (rendition is null || !ids.Add(rendition.Id))
            {
                return $"rendition ids must be unique ('{rendition?.Id}')";
            }
        }
        return null;
    }
}
