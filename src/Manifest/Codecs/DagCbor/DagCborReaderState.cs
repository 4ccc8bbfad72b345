namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>What <see cref="DagCborReader.PeekState"/> found next: only the forms dag-cbor allows.</summary>
internal enum DagCborReaderState
{
    UnsignedInteger,
    NegativeInteger,
    ByteString,
    TextString,
    StartArray,
    EndArray,
    StartMap,
    EndMap,
    Link,
    Boolean,
    Null,
    Double,
    Finished,
}
