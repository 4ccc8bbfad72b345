using Overlay.Manifest.Car;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using static Overlay.Manifest.Tests.Car.CarTestFiles;

namespace Overlay.Manifest.Tests.Car;

/// <summary>Hostile CAR sections whose CID names its block weakly or inline.</summary>
public sealed class CarBlockVerificationTests
{
    private static readonly Cid Root = Cid.Compute(Multicodec.Raw, "root"u8);

    private static byte[] CarOf(Cid cid, byte[] block)
    {
        var output = new MemoryStream();
        var writer = CarWriter.CreateAsync(output, [Root]).GetAwaiter().GetResult();
        writer.WriteBlockAsync(cid, block).AsTask().GetAwaiter().GetResult();
        return output.ToArray();
    }

    private static Cid IdentityCid(byte[] inline) => Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, inline));

    [Fact]
    public async Task An_identity_section_whose_block_is_shorter_than_the_inline_bytes_fails_verification()
    {
        var car = CarOf(IdentityCid("hello"u8.ToArray()), "hel"u8.ToArray());
        await Assert.ThrowsAsync<VerificationException>(() => ReadAllAsync(car));
    }

    [Fact]
    public async Task An_identity_section_whose_block_only_starts_with_the_inline_bytes_fails_verification()
    {
        var car = CarOf(IdentityCid("hello"u8.ToArray()), "hello, forged tail"u8.ToArray());
        await Assert.ThrowsAsync<VerificationException>(() => ReadAllAsync(car));
    }

    [Fact]
    public async Task An_identity_section_with_exactly_the_inline_bytes_is_accepted()
    {
        var car = CarOf(IdentityCid("hello"u8.ToArray()), "hello"u8.ToArray());
        var (_, blocks) = await ReadAllAsync(car);
        Assert.Equal("hello"u8.ToArray(), Assert.Single(blocks).Data.ToArray());
    }

    [Fact]
    public async Task A_sha256_digest_truncated_below_20_bytes_is_too_weak_to_verify_a_block()
    {
        // One byte of digest: a forger needs about 256 tries to substitute any block.
        var forged = "forged block 17"u8.ToArray();
        var cid = Cid.CreateV1(Multicodec.Raw, Multihash.Compute(forged, MultihashAlgorithm.Sha2_256, 1));
        await Assert.ThrowsAsync<VerificationException>(() => ReadAllAsync(CarOf(cid, forged)));
    }
}
