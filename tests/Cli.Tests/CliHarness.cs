using System.Text;

namespace Overlay.Cli.Tests;

/// <summary>
/// A temporary home with a repo path under it, and a way to run <c>overlay</c> commands
/// in-process against it. Nothing touches the real ~/.overlay or the process environment.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Home = Path.Combine(Path.GetTempPath(), "overlay-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        RepoPath = Path.Combine(Home, "repo");
    }

    public string Home { get; }

    public string RepoPath { get; }

    /// <summary>Environment variables the CLI sees (HOME is the temp folder).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <c>overlay init</c> for <see cref="RepoPath"/> and checks it succeeded.</summary>
    public async Task InitAsync() => (await RunAsync("init")).AssertSuccess();

    /// <summary>Runs with <c>--repo</c> pointing at <see cref="RepoPath"/>.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunRawAsync([.. args, "--repo", RepoPath]);

    public Task<CliRun> RunWithInputAsync(byte[] stdin, params string[] args) => RunRawAsync([.. args, "--repo", RepoPath], stdin);

    /// <summary>Runs exactly <paramref name="args"/>, with no <c>--repo</c> added.</summary>
    public async Task<CliRun> RunRawAsync(string[] args, byte[]? stdin = null)
    {
        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };
        var app = new CliApp(new CliConsole(input, output, error), Lookup);
        var exitCode = await app.RunAsync(args);
        return new CliRun(exitCode, output.ToArray(), error.ToString());
    }

    /// <summary>An app wired like <see cref="RunRawAsync"/>'s, for a run the test drives itself (a daemon).</summary>
    public CliApp CreateApp(CliConsole console) => new(console, Lookup);

    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(Home, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Bytes that are not all the same, so a misplaced chunk changes the content.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that produced it.
        }
    }

    private string? Lookup(string name) =>
        name == "HOME" ? Home : Environment.TryGetValue(name, out var value) ? value : null;
}
