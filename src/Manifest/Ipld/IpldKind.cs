namespace Overlay.Manifest.Ipld;

/// <summary>The kinds of the IPLD data model (https://ipld.io/docs/data-model/kinds/).</summary>
public enum IpldKind
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
    Bytes,
    List,
    Map,
    Link,
}
