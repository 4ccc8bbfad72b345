using System.CommandLine;
using Overlay.Manifest.Keys;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay init</c>: creates the repo (config, Ed25519 identity, block store) and prints what
/// <c>ipfs init</c> prints. Refuses to touch a repo that is already initialised.
/// </summary>
internal static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Create a repo with a new Ed25519 identity");
        context.SetAction(command, (result, _) =>
        {
            var path = context.ResolveRepoPath(result);
            if (OverlayRepo.IsInitialized(path))
            {
                throw new CliException($"a repo is already initialised at {path}: reinitialising would replace its identity");
            }
            var json = context.IsJson(result);
            if (!json)
            {
                context.Console.Out.Write("generating ED25519 keypair...");
            }
            var key = Ed25519PrivateKey.Generate();
            var peerId = key.PeerId.ToString();
            if (!json)
            {
                context.Console.Out.WriteLine("done");
                context.Console.Out.WriteLine($"peer identity: {peerId}");
                context.Console.Out.WriteLine($"initializing overlay node at {path}");
            }
            OverlayRepo.Init(path, key.ToProtobuf(), peerId);
            if (json)
            {
                context.WriteJson(w =>
                {
                    w.WriteString("ID", peerId);
                    w.WriteString("Repo", path);
                });
            }
            return Task.CompletedTask;
        });
        return command;
    }
}
