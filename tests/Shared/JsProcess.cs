using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Overlay.Tests.Shared;

/// <summary>
/// A long-running js peer (tests/js/libp2p-peer.mjs and friends) driven by JSON lines: commands
/// on stdin, answers and events on stdout. Disposing kills the process tree.
/// </summary>
internal sealed class JsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutLoop;
    private int _nextId;

    private JsProcess(Process process)
    {
        _process = process;
        _stdoutLoop = Task.Run(ReadStdoutAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static JsProcess Start(string script, params string[] args)
    {
        var node = JsPeer.NodePath ?? throw new InvalidOperationException(
            "Node 22 not installed: run scripts/test (or scripts/install-js), or set OVERLAY_NODE.");
        var startInfo = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = JsPeer.JsDir,
        };
        startInfo.ArgumentList.Add(Path.Combine(JsPeer.JsDir, script));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        return new JsProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {script}"));
    }

    /// <summary>Waits for the next unsolicited event matching <paramref name="predicate"/>.</summary>
    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if (predicate(e))
                {
                    return e;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"js peer sent no matching event within {timeout}; stderr:\n{Stderr}");
        }
    }

    /// <summary>Sends a command and returns its answer; a failed command throws with the js error.</summary>
    public async Task<JsonObject> CommandAsync(string command, object? arguments, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = arguments is null ? new JsonObject() : JsonSerializer.SerializeToNode(arguments)!.AsObject();
        request["id"] = id;
        request["cmd"] = command;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await _process.StandardInput.WriteLineAsync(request.ToJsonString());
        await _process.StandardInput.FlushAsync();
        JsonObject result;
        try
        {
            result = await answer.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"js command {command} timed out after {timeout}; stderr:\n{Stderr}");
        }
        if (result["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"js command {command} failed: {result["error"]}");
        }
        return result;
    }

    private async Task ReadStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0 || line[0] != '{')
            {
                continue;
            }
            var message = JsonNode.Parse(line)!.AsObject();
            if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiter))
            {
                waiter.TrySetResult(message);
            }
            else
            {
                _events.Writer.TryWrite(message);
            }
        }
        _events.Writer.TryComplete();
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(new InvalidOperationException($"js peer exited; stderr:\n{Stderr}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await _stdoutLoop;
        _process.Dispose();
    }
}
