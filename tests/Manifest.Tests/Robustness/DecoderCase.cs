namespace Overlay.Manifest.Tests.Robustness;

/// <summary>A decoder under mutation test: its seed corpus and the one exception type it declares.</summary>
internal sealed record DecoderCase(string Name, Func<IReadOnlyList<byte[]>> Corpus, Action<byte[]> Decode, Type DeclaredException)
{
    public override string ToString() => Name;
}
