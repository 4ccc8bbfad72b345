using BenchmarkDotNet.Running;

namespace Overlay.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the hot paths (varint, CID, dag-cbor, Noise frames, yamux
/// frames). <c>bench/run</c> runs them with <c>--job short</c> and folds the means into
/// docs/benchmarks.md; run by hand with BenchmarkDotNet's own switches, e.g. <c>--filter '*Cid*'</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
