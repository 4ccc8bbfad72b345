using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Ipld;

/// <summary>A path into IPLD data names something the data does not have, or crosses too many links.</summary>
public sealed class IpldPathException(string message) : OverlayException(message);
