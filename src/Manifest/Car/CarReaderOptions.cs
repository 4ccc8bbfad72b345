using Overlay.Manifest.DagPb;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>Limits and checks for <see cref="CarReader"/>.</summary>
public sealed record CarReaderOptions
{
    public static CarReaderOptions Default { get; } = new();

    /// <summary>
    /// Hash every block and reject it (<see cref="Errors.VerificationException"/>) unless it
    /// matches its CID; blocks whose hash function we cannot compute are rejected too.
    /// </summary>
    public bool VerifyBlocks { get; init; } = true;

    /// <summary>Largest header accepted; a header holds a few roots, 1 MiB is generous.</summary>
    public int MaxHeaderLength { get; init; } = 1024 * 1024;

    /// <summary>Largest section (CID + block): a 2 MiB Bitswap-sized block plus the longest CID.</summary>
    public int MaxSectionLength { get; init; } = DagPb.DagPb.MaxBlockSize + Cid.MaxBinaryLength;

    /// <summary>Accept a header with no roots (js-car does; go-car and the spec's "one or more" do not).</summary>
    public bool AllowEmptyRoots { get; init; }

    /// <summary>Read a CARv2 file through its wrapped CARv1 payload (the index is skipped).</summary>
    public bool AllowCarV2 { get; init; } = true;
}
