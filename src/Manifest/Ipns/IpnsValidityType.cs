// Spec: https://specs.ipfs.tech/ipns/ipns-record/#validity-type-uint64
namespace Overlay.Manifest.Ipns;

/// <summary>How a record's validity is expressed; EOL (an expiry time) is the only one defined.</summary>
public enum IpnsValidityType : ulong
{
    Eol = 0,
}
