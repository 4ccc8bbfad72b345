using System.Diagnostics;
using System.Text;

namespace Overlay.Cli.Tests;

/// <summary>Runs the built CLI as a real process, to prove the real entry point and stdio wiring work.</summary>
public sealed class ExecutableTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly CliHarness _paths = new();

    public void Dispose() => _paths.Dispose();

    [Fact]
    public async Task Init_add_cat_through_the_real_executable()
    {
        var content = CliHarness.RandomBytes(300_000, seed: 7);
        var file = _paths.WriteFile("video.bin", content);

        var init = await RunAsync(["init"], stdin: null);
        Assert.True(init.ExitCode == 0, init.Error);
        Assert.Contains("peer identity: 12D3KooW", Encoding.UTF8.GetString(init.Output), StringComparison.Ordinal);

        var add = await RunAsync(["add", "-Q", file], stdin: null);
        Assert.True(add.ExitCode == 0, add.Error);
        var cid = Encoding.UTF8.GetString(add.Output).Trim();

        var cat = await RunAsync(["cat", cid], stdin: null);
        Assert.True(cat.ExitCode == 0, cat.Error);
        Assert.Equal(content, cat.Output);

        var missing = await RunAsync(["cat", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"], stdin: null);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("Error: ", missing.Error, StringComparison.Ordinal);
        Assert.Single(missing.Error.TrimEnd('\n').Split('\n'));
    }

    /// <summary>`dotnet Overlay.Cli.dll …` with the repo chosen through OVERLAY_PATH, as a user would set it.</summary>
    private async Task<CliRun> RunAsync(string[] args, byte[]? stdin)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Overlay.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built next to the tests");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["OVERLAY_PATH"] = _paths.RepoPath;
        start.Environment["HOME"] = _paths.Home;

        using var process = Process.Start(start)!;
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            var output = new MemoryStream();
            var copyOutput = process.StandardOutput.BaseStream.CopyToAsync(output, cancellation.Token);
            var readError = process.StandardError.ReadToEndAsync(cancellation.Token);
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, cancellation.Token);
            }
            process.StandardInput.Close();
            await copyOutput;
            var error = await readError;
            await process.WaitForExitAsync(cancellation.Token);
            return new CliRun(process.ExitCode, output.ToArray(), error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"overlay {string.Join(' ', args)} did not finish within {Timeout}");
        }
    }

    /// <summary>The dotnet that runs these tests (the test host sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
