using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
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
                context.WriteJson(w =>
                {
                    w.WriteString("Version", CliContext.Version);
                    w.WriteString("Repo", OverlayRepo.LayoutVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteString("System", $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/{OperatingSystemName()}");
                    w.WriteString("Runtime", RuntimeInformation.FrameworkDescription);
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
