using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Overlay.Manifest.Errors;
using Overlay.Repo;

namespace Overlay.Cli;

/// <summary>
/// What every command shares: the console, the global <c>--repo</c> and <c>--json</c> options,
/// how the repo folder is found, and how a command's failures become one line on stderr.
/// </summary>
internal sealed class CliContext
{
    public const string CommandName = "overlay";
    public const string RepoEnvironmentVariable = "OVERLAY_PATH";
    public const string DefaultRepoFolderName = ".overlay";
    public const int ExitOk = 0;
    public const int ExitError = 1;

    private readonly Func<string, string?> _environment;

    public CliContext(CliConsole console, Func<string, string?> environment)
    {
        Console = console;
        _environment = environment;
        RepoOption = new Option<string?>("--repo")
        {
            Description = $"Repo folder (default: ${RepoEnvironmentVariable}, else ~/{DefaultRepoFolderName})",
            HelpName = "DIR",
            Recursive = true,
        };
        JsonOption = new Option<bool>("--json")
        {
            Description = "Write machine-readable JSON instead of text",
            Recursive = true,
        };
    }

    public CliConsole Console { get; }

    public Option<string?> RepoOption { get; }

    public Option<bool> JsonOption { get; }

    /// <summary>"overlay/0.1.0": the agent version sent in identify and shown by <c>id</c>.</summary>
    public static string AgentVersion => CommandName + "/" + Version;

    public static string Version
    {
        get
        {
            var informational = typeof(CliContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            // The SDK appends "+<commit>"; the agent string carries only the release.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }

    public bool IsJson(ParseResult result) => result.GetValue(JsonOption);

    /// <summary>An environment variable as this run sees it (tests inject their own).</summary>
    public string? GetEnvironment(string name) => _environment(name);

    /// <summary>The repo folder: <c>--repo</c>, else <c>$OVERLAY_PATH</c>, else <c>~/.overlay</c>.</summary>
    public string ResolveRepoPath(ParseResult result)
    {
        var fromFlag = result.GetValue(RepoOption);
        if (!string.IsNullOrEmpty(fromFlag))
        {
            return Path.GetFullPath(ExpandHome(fromFlag));
        }
        var fromEnvironment = _environment(RepoEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(ExpandHome(fromEnvironment));
        }
        return Path.Combine(Home(), DefaultRepoFolderName);
    }

    public OverlayRepo OpenRepo(ParseResult result) => OverlayRepo.Open(ResolveRepoPath(result));

    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="body"/>, turning expected
    /// failures into "Error: …" on stderr and exit code 1. Anything else is a bug and keeps its
    /// stack trace.
    /// </summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task> body)
    {
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await body(result, cancellationToken).ConfigureAwait(false);
                return ExitOk;
            }
            catch (Exception e) when (IsExpected(e))
            {
                await Console.Error.WriteLineAsync("Error: " + OneLine(e.Message)).ConfigureAwait(false);
                return ExitError;
            }
        });
    }

    /// <summary>Writes one compact JSON object and a newline, like kubo's <c>--enc=json</c>.</summary>
    public void WriteJson(Action<Utf8JsonWriter> writeProperties, bool indented = false)
    {
        using (var writer = new Utf8JsonWriter(Console.Output, new JsonWriterOptions { Indented = indented, IndentCharacter = '\t', IndentSize = 1 }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        Console.Out.Write('\n');
    }

    private static bool IsExpected(Exception e) =>
        e is CliException or OverlayException or IOException or UnauthorizedAccessException;

    /// <summary>Folds a multi-line message (System.CommandLine lists choices one per line) into one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));

    private string Home()
    {
        var home = _environment("HOME");
        return string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home;
    }

    private string ExpandHome(string path) =>
        path == "~" ? Home()
        : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home(), path[2..])
        : path;
}
