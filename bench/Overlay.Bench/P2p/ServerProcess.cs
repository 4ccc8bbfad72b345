using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Overlay.Bench.P2p;

/// <summary>
/// A long-running server child: started, asked for its address (its first output line,
/// {"addr":…}), and stopped by closing its standard input.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;

    private readonly JsonElement _announcement;

    private ServerProcess(Process process, JsonElement announcement)
    {
        _process = process;
        _announcement = announcement;
        Address = Field("addr");
    }

    public string Address { get; }

    /// <summary>The child's process id, for what /proc tells of it (peak RSS).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The first line the server printed, for fields that are not strings.</summary>
    public JsonElement Announcement => _announcement;

    /// <summary>A string field of the first line the server printed (besides addr: what it has to offer).</summary>
    public string Field(string name) => _announcement.GetProperty(name).GetString()
        ?? throw new InvalidOperationException($"the server's {name} is null");

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> args)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (stderr)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} did not print its address: {stderr}");
            }
        }
        using var json = JsonDocument.Parse(line);
        return new ServerProcess(process, json.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
