using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>overlay daemon</c> as a real process (<c>dotnet Overlay.Cli.dll daemon …</c>), so a test can
/// send it real signals: SIGTERM for a clean stop, SIGKILL for a crash.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_output)
            {
                _output.Append(e.Data).Append('\n');
            }
            if (e.Data == "Daemon is ready")
            {
                _ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_error)
                {
                    _error.Append(e.Data).Append('\n');
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>overlay daemon --repo <paramref name="repo"/> <paramref name="args"/></c> (with <paramref name="environment"/> added) and waits until it is ready.</summary>
    public static async Task<DaemonProcess> StartAsync(string repo, string[] args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Overlay.Cli.dll");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var arg in (string[])[dll, "daemon", "--repo", repo, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        var daemon = new DaemonProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the daemon"));
        var exited = daemon._process.WaitForExitAsync();
        var first = await Task.WhenAny(daemon._ready.Task, exited, Task.Delay(timeout));
        if (first != daemon._ready.Task)
        {
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"the daemon did not become ready; stdout:\n{daemon.Output}\nstderr:\n{daemon.Error}");
        }
        return daemon;
    }

    /// <summary>SIGTERM, as a service manager stops it; returns once it exited.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        Assert.Equal(0, Kill(_process.Id, SigTerm));
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>SIGKILL: no chance to clean up, as after a crash or an OOM kill.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The dotnet that runs these tests (the test host sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Process.Kill only sends SIGKILL; a polite stop needs kill(2).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
