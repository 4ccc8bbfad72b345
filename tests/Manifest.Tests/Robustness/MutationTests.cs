namespace Overlay.Manifest.Tests.Robustness;

/// <summary>
/// Feeds thousands of mutated valid inputs to every decoder: each must either decode or throw
/// the exception type it declares, never IndexOutOfRange, Overflow, OutOfMemory or the like.
/// </summary>
public sealed class MutationTests
{
    private const int MutationsPerDecoder = 5000;

    public static TheoryData<string> DecoderNames() => new(DecoderCases.All().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void Only_the_declared_exception_escapes(string name)
    {
        var decoder = DecoderCases.All().Single(c => c.Name == name);
        var corpus = decoder.Corpus();
        Assert.NotEmpty(corpus);
        foreach (var valid in corpus)
        {
            decoder.Decode(valid);
        }
        var rejected = 0;
        foreach (var input in Mutator.Mutate(corpus, MutationsPerDecoder, seed: StableSeed(name)))
        {
            try
            {
                decoder.Decode(input);
            }
            catch (Exception e) when (decoder.DeclaredException.IsInstanceOfType(e))
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name}: {e.GetType().Name} escaped for input {Convert.ToHexStringLower(input)}: {e.Message}");
            }
        }
        Assert.True(rejected > 0, $"{name}: no mutation was rejected, so the test exercised nothing");
    }

    // string.GetHashCode is randomised per process; a failure must reproduce with the same inputs.
    private static int StableSeed(string name) => name.Aggregate(0x5eed, (hash, c) => hash * 31 + c);
}
