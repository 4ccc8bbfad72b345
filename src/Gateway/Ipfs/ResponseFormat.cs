// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/#format-request-query-parameter
namespace Overlay.Gateway.Ipfs;

/// <summary>What representation a request asks for: <c>?format=</c> first, then the Accept header.</summary>
internal enum ResponseFormat
{
    /// <summary>The deserialized content (file bytes, directory page, the codec's own bytes).</summary>
    Default,

    /// <summary><c>application/vnd.ipld.raw</c>: the terminal block, verifiable against its CID.</summary>
    Raw,

    /// <summary><c>application/vnd.ipld.car</c>: a CARv1 of the blocks on the path and under the terminal.</summary>
    Car,

    /// <summary><c>application/vnd.ipld.dag-json</c> (only for blocks already in that codec).</summary>
    DagJson,

    /// <summary><c>application/vnd.ipld.dag-cbor</c> (only for blocks already in that codec).</summary>
    DagCbor,
}
