using System.CommandLine;
using System.Diagnostics;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay play STREAM [--open]</c>: prints the stream's playlist URL on the gateway (the
/// running daemon's, from the repo's <c>gateway</c> file, else the config's
/// <c>Addresses.Gateway</c>) and, with <c>--open</c>, starts the first of ffplay, VLC or
/// xdg-open found on PATH with it. The gateway follows the stream when the player asks.
/// </summary>
internal static class PlayCommand
{
    /// <summary>Players tried in order: ffplay and VLC play HLS themselves; xdg-open hands it to the desktop's choice.</summary>
    private static readonly string[] Players = ["ffplay", "vlc", "xdg-open"];

    public static Command Create(CliContext context)
    {
        var stream = new Argument<string>("stream") { Description = "The stream's address (k51…)" };
        var open = new Option<bool>("--open") { Description = "Open the URL in ffplay, VLC or the desktop's player (xdg-open), whichever is installed" };
        var command = new Command("play", "Print the gateway URL of a stream, and open it in a player with --open") { stream, open };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            PeerId key;
            try
            {
                key = PeerId.Parse(result.GetRequiredValue(stream));
            }
            catch (MalformedDataException e)
            {
                throw new CliException($"not a stream address: {e.Message}", e);
            }
            var url = $"{GatewayUrl.Of(context.ResolveRepoPath(result))}/play/{key.ToBase36Name()}";
            // Looked up first, so a missing player is the one error line (which carries the URL).
            var player = result.GetValue(open)
                ? FindPlayer(context.GetEnvironment("PATH")) ?? throw new CliException($"no player found on PATH (tried {string.Join(", ", Players)}); open {url} yourself")
                : null;
            await context.Console.Out.WriteLineAsync(url).ConfigureAwait(false);
            if (player is not null)
            {
                var arguments = Path.GetFileName(player) == "ffplay" ? new[] { "-autoexit", url } : [url];
                // The player outlives this command: it is the user's window, not our child to wait for.
                using var process = Process.Start(new ProcessStartInfo(player, arguments) { UseShellExecute = false })
                    ?? throw new CliException($"could not start {player}");
                await context.Console.Error.WriteLineAsync($"opened in {Path.GetFileName(player)}").ConfigureAwait(false);
            }
        });
        return command;
    }

    private static string? FindPlayer(string? path)
    {
        var folders = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return Players.SelectMany(p => folders.Select(f => Path.Combine(f, p))).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
