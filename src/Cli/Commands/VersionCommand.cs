using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using Overlay.Gateway.Admin;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary><c>overlay version</c>: "overlay version 0.1.0", like <c>ipfs version</c>.</summary>
internal static class VersionCommand
{
    private static string VersionLine => $"{CliContext.CommandName} version {CliContext.Version}";

    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Show the overlay version");
        context.SetAction(command, (result, _) =>
        {
            if (context.IsJson(result))
            {
                var version = Describe();
                context.WriteJson(w =>
                {
                    w.WriteString("Version", version.Version);
                    w.WriteString("Repo", version.Repo);
                    w.WriteString("System", version.System);
                    w.WriteString("Runtime", version.Runtime);
                });
            }
            else
            {
                context.Console.Out.WriteLine(VersionLine);
            }
            return Task.CompletedTask;
        });
        return command;
    }

    /// <summary>What <c>version --json</c> prints and the daemon's <c>/api/v0/version</c> answers.</summary>
    public static VersionResponse Describe() => new()
    {
        Version = CliContext.Version,
        Repo = OverlayRepo.LayoutVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        System = $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/{OperatingSystemName()}",
        Runtime = RuntimeInformation.FrameworkDescription,
    };

    /// <summary><c>overlay --version</c>, printing what <c>overlay version</c> prints (kubo's <c>ipfs --version</c>).</summary>
    public static Option<bool> CreateOption() => new("--version")
    {
        Description = "Show the overlay version",
        Action = new PrintVersionAction(),
    };

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsWindows() ? "windows"
        : RuntimeInformation.OSDescription;

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(VersionLine);
            return CliContext.ExitOk;
        }
    }
}
