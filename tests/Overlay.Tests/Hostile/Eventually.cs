using System.Diagnostics;

namespace Overlay.Tests.Hostile;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="bound"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan bound, string what)
    {
        var timer = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(timer.Elapsed < bound, $"{what}: not within {bound}");
            await Task.Delay(10);
        }
    }
}
