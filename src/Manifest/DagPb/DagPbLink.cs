// Spec: https://ipld.io/specs/codecs/dag-pb/spec/#serial-format (message PBLink)
using System.Text;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.DagPb;

/// <summary>
/// One link of a dag-pb node. <see cref="Name"/> and <see cref="Tsize"/> are optional and an
/// absent value is not the same block as an empty one (<c>Name = ""</c> is encoded, null is not).
/// </summary>
public sealed record DagPbLink
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public DagPbLink(Cid hash, string? name = null, ulong? tsize = null)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (name is not null)
        {
            try
            {
                StrictUtf8.GetByteCount(name);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("link name is not valid Unicode (unpaired surrogate)", nameof(name), e);
            }
        }
        Hash = hash;
        Name = name;
        Tsize = tsize;
    }

    /// <summary>The target's CID (protobuf field 1, required by the dag-pb spec).</summary>
    public Cid Hash { get; }

    /// <summary>UTF-8 name (field 2); directories name their entries, file chunks use "" or nothing.</summary>
    public string? Name { get; }

    /// <summary>Cumulative size of the target DAG in bytes (field 3), a hint that is never trusted.</summary>
    public ulong? Tsize { get; }
}
