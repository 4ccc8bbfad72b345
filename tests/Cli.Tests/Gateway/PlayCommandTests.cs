namespace Overlay.Cli.Tests.Gateway;

/// <summary><c>overlay play</c> without a daemon: the configured gateway address, and --open finding a player on PATH.</summary>
public sealed class PlayCommandTests : IAsyncLifetime
{
    private const string Stream = "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8";

    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitAsync();

    public Task DisposeAsync()
    {
        _cli.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Without_a_daemon_it_prints_the_configured_gateway_url()
    {
        var run = (await _cli.RunAsync("play", Stream)).AssertSuccess();
        Assert.Equal($"http://127.0.0.1:7777/play/{Stream}", run.Lines.Single());
    }

    [Fact]
    public async Task Open_starts_the_first_player_on_path_with_the_url()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_cli.Home, "bin")).FullName;
        var seen = Path.Combine(_cli.Home, "opened.txt");
        var player = Path.Combine(bin, "xdg-open");
        await File.WriteAllTextAsync(player, $"#!/bin/sh\necho \"$@\" > {seen}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(player, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _cli.Environment["PATH"] = bin;
        var run = await _cli.RunAsync("play", Stream, "--open");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("opened in xdg-open", run.Error, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(seen) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal($"http://127.0.0.1:7777/play/{Stream}\n", await File.ReadAllTextAsync(seen));

        _cli.Environment["PATH"] = Path.Combine(_cli.Home, "empty");
        (await _cli.RunAsync("play", Stream, "--open")).AssertOneLineError("no player found on PATH");
        (await _cli.RunAsync("play", "nonsense")).AssertOneLineError("not a stream address");
    }

    [Fact]
    public async Task The_daemons_gateway_timeout_must_be_a_sane_number_of_seconds()
    {
        (await _cli.RunAsync("daemon", "--gateway-timeout", "0")).AssertOneLineError("--gateway-timeout 0: expected 1 to 600 seconds");
    }
}
