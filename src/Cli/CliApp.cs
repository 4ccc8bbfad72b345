using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Overlay.Cli.Commands;

namespace Overlay.Cli;

/// <summary>
/// The <c>overlay</c> command tree. Runs in-process against injected streams and environment,
/// so tests drive exactly what the executable does.
/// </summary>
internal sealed class CliApp
{
    private readonly CliContext _context;

    public CliApp(CliConsole console, Func<string, string?>? environment = null)
    {
        _context = new CliContext(console, environment ?? Environment.GetEnvironmentVariable);
        Root = BuildRoot(_context);
    }

    public Command Root { get; }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var result = Root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            // One line, like every other failure; the full usage is one --help away.
            var command = string.Join(' ', CommandPath(result.CommandResult.Command));
            await _context.Console.Error.WriteLineAsync($"Error: {CliContext.OneLine(result.Errors[0].Message)} (see `{command} --help`)").ConfigureAwait(false);
            return CliContext.ExitError;
        }
        var configuration = new InvocationConfiguration
        {
            Output = _context.Console.Out,
            Error = _context.Console.Error,
        };
        if (result.CommandResult.Command.Name == DaemonCommand.Name && result.CommandResult.Command.Parents.Contains(Root))
        {
            // The daemon handles SIGINT/SIGTERM itself: its clean shutdown may take longer than
            // the 2 s System.CommandLine grants before forcing exit code 130/143.
            configuration.ProcessTerminationTimeout = null;
        }
        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static Command BuildRoot(CliContext context)
    {
        // A plain Command named "overlay" rather than RootCommand, whose name would come from the
        // assembly (Overlay.Cli) and show up in every usage line.
        var root = new Command(CliContext.CommandName, "Overlay: a content-addressed peer-to-peer overlay for video that is an IPFS/libp2p node.");
        root.Add(new HelpOption());
        root.Add(VersionCommand.CreateOption());
        root.Add(context.RepoOption);
        root.Add(context.JsonOption);
        root.Add(InitCommand.Create(context));
        root.Add(IdCommand.Create(context));
        root.Add(VersionCommand.Create(context));
        root.Add(AddCommand.Create(context));
        root.Add(CatCommand.Create(context));
        root.Add(GetCommand.Create(context));
        root.Add(BlockCommands.Create(context));
        root.Add(DagCommands.Create(context));
        root.Add(CarCommands.Create(context));
        root.Add(DaemonCommand.Create(context));
        root.Add(SwarmCommands.Create(context));
        root.Add(PingCommand.Create(context));
        root.Add(PubSubCommands.Create(context));
        root.Add(ShutdownCommand.Create(context));
        root.Add(RepoCommands.Create(context));
        root.Add(PinCommands.Create(context));
        root.Add(KeyCommands.Create(context));
        root.Add(PublishCommand.Create(context));
        root.Add(FollowCommand.Create(context));
        root.Add(StreamsCommand.Create(context));
        root.Add(PlayCommand.Create(context));
        root.Add(NameCommands.Create(context));
        ShowHelpWhenInvokedAlone(root);
        return root;
    }

    /// <summary>A bare group (<c>overlay</c>, <c>overlay block</c>) prints its help, as kubo does.</summary>
    private static void ShowHelpWhenInvokedAlone(Command command)
    {
        if (command.Subcommands.Count == 0)
        {
            return;
        }
        command.SetAction(result => new HelpAction().Invoke(result));
        foreach (var subcommand in command.Subcommands)
        {
            ShowHelpWhenInvokedAlone(subcommand);
        }
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (var symbol = (Symbol?)command; symbol is Command c; symbol = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }
        return names;
    }
}
