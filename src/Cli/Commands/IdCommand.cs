using System.CommandLine;
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay id</c>: this node's identity, with kubo's field names (<c>ipfs id</c>). Without a
/// running daemon there are no listen addresses or protocols, as with <c>ipfs id --offline</c>.
/// </summary>
internal static class IdCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Print only this template; <id> <pubkey> <aver> <addrs> <protocols> are replaced, \\n and \\t unescaped",
        };
        var command = new Command("id", "Show this node's peer ID, public key and agent version") { format };
        context.SetAction(command, (result, _) =>
        {
            var repo = context.OpenRepo(result);
            var key = Ed25519PrivateKey.FromProtobuf(repo.ReadIdentityKey());
            var peerId = key.PeerId.ToString();
            if (peerId != repo.Config.Identity.PeerId)
            {
                throw new VerificationException($"the identity key in {repo.RootPath} is for {peerId}, but config.json says {repo.Config.Identity.PeerId}");
            }
            var publicKey = Convert.ToBase64String(key.PublicKey.ToProtobuf());
            var template = result.GetValue(format);
            if (template is not null)
            {
                context.Console.Out.Write(new StringBuilder(template)
                    .Replace("<id>", peerId)
                    .Replace("<pubkey>", publicKey)
                    .Replace("<aver>", CliContext.AgentVersion)
                    .Replace("<addrs>", "")
                    .Replace("<protocols>", "")
                    .Replace("\\n", "\n")
                    .Replace("\\t", "\t")
                    .ToString());
            }
            else if (context.IsJson(result))
            {
                context.WriteJson(w =>
                {
                    w.WriteString("ID", peerId);
                    w.WriteString("PublicKey", publicKey);
                    w.WriteNull("Addresses");
                    w.WriteString("AgentVersion", CliContext.AgentVersion);
                    w.WriteNull("Protocols");
                }, indented: true);
            }
            else
            {
                context.Console.Out.WriteLine($"ID: {peerId}");
                context.Console.Out.WriteLine($"PublicKey: {publicKey}");
                context.Console.Out.WriteLine($"AgentVersion: {CliContext.AgentVersion}");
                context.Console.Out.WriteLine("Addresses: (none: the daemon is not running)");
            }
            return Task.CompletedTask;
        });
        return command;
    }
}
