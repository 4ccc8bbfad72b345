namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// Two repos, each with its daemon running in-process, started before every test and stopped
/// (cleanly: exit code 0) after it; the tests connect them as they need.
/// </summary>
public abstract class TwoDaemonsTest : IAsyncLifetime
{
    private protected CliHarness A { get; } = new();

    private protected CliHarness B { get; } = new();

    private protected InProcessDaemon DaemonA { get; private set; } = null!;

    private protected InProcessDaemon DaemonB { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await A.InitAsync();
        await B.InitAsync();
        DaemonA = await InProcessDaemon.StartAsync(A);
        DaemonB = await InProcessDaemon.StartAsync(B);
    }

    public virtual async Task DisposeAsync()
    {
        Assert.Equal(0, await DaemonA.StopAsync());
        Assert.Equal(0, await DaemonB.StopAsync());
        await DaemonA.DisposeAsync();
        await DaemonB.DisposeAsync();
        A.Dispose();
        B.Dispose();
    }
}
