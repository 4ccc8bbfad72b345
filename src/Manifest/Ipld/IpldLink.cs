using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Ipld;

public sealed class IpldLink : IpldNode
{
    public IpldLink(Cid cid) => Cid = cid ?? throw new ArgumentNullException(nameof(cid));

    public Cid Cid { get; }

    public override IpldKind Kind => IpldKind.Link;

    public override bool Equals(IpldNode? other) => other is IpldLink l && l.Cid.Equals(Cid);

    public override int GetHashCode() => Cid.GetHashCode();

    public override string ToString() => Cid.ToString();
}
