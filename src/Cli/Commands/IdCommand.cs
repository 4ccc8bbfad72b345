using System.CommandLine;
using System.Text;
using Overlay.Cli.Api;
using Overlay.Gateway;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay id [PEER]</c>: a node's identity, with kubo's field names (<c>ipfs id</c>). With a
/// running daemon it shows the live listen addresses and protocols; without one (no api file, or
/// one left by a daemon that died) it shows what the repo holds, as <c>ipfs id --offline</c>
/// does. Another peer's identity (what identify told the daemon) needs the daemon.
/// </summary>
internal static class IdCommand
{
    public static Command Create(CliContext context)
    {
        var peer = new Argument<string?>("PEER")
        {
            Description = "Another peer's ID (default: this node)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Print only this template; <id> <pubkey> <aver> <addrs> <protocols> are replaced, \\n and \\t unescaped",
        };
        var command = new Command("id", "Show a node's peer ID, public key, agent version, addresses and protocols") { peer, format };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var other = result.GetValue(peer);
            var identity = await LiveAsync(context, result, other, cancellationToken).ConfigureAwait(false);
            if (identity is null && other is not null)
            {
                throw new CliException(ApiClient.NoDaemonMessage);
            }
            Print(context, result, identity ?? Offline(context, result), live: identity is not null, result.GetValue(format));
        });
        return command;
    }

    /// <summary>The daemon's answer, or null when no daemon answers.</summary>
    private static async Task<IdResponse?> LiveAsync(CliContext context, ParseResult result, string? peer, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(context.ResolveRepoPath(result));
        if (client is null)
        {
            return null;
        }
        KeyValuePair<string, string>[] query = peer is null ? [] : [KeyValuePair.Create("arg", peer)];
        var answer = await client.TryPostAsync("id", query, ApiJsonContext.Default.IdResponse, cancellationToken).ConfigureAwait(false);
        return answer?.Value;
    }

    private static IdResponse Offline(CliContext context, ParseResult result)
    {
        var repo = context.OpenRepo(result);
        var key = Ed25519PrivateKey.FromProtobuf(repo.ReadIdentityKey());
        var peerId = key.PeerId.ToString();
        if (peerId != repo.Config.Identity.PeerId)
        {
            throw new VerificationException($"the identity key in {repo.RootPath} is for {peerId}, but config.json says {repo.Config.Identity.PeerId}");
        }
        return new IdResponse
        {
            Id = peerId,
            PublicKey = Convert.ToBase64String(key.PublicKey.ToProtobuf()),
            Addresses = [],
            AgentVersion = CliContext.AgentVersion,
            Protocols = [],
        };
    }

    private static void Print(CliContext context, ParseResult result, IdResponse id, bool live, string? template)
    {
        var output = context.Console.Out;
        if (template is not null)
        {
            output.Write(new StringBuilder(template)
                .Replace("<id>", id.Id)
                .Replace("<pubkey>", id.PublicKey ?? "")
                .Replace("<aver>", id.AgentVersion ?? "")
                .Replace("<addrs>", string.Join('\n', id.Addresses))
                .Replace("<protocols>", string.Join('\n', id.Protocols))
                .Replace("\\n", "\n")
                .Replace("\\t", "\t")
                .ToString());
        }
        else if (context.IsJson(result))
        {
            context.WriteJson(w =>
            {
                w.WriteString("ID", id.Id);
                w.WriteString("PublicKey", id.PublicKey);
                WriteList(w, "Addresses", live ? id.Addresses : null);
                w.WriteString("AgentVersion", id.AgentVersion);
                WriteList(w, "Protocols", live ? id.Protocols : null);
            }, indented: true);
        }
        else
        {
            output.WriteLine($"ID: {id.Id}");
            output.WriteLine($"PublicKey: {id.PublicKey ?? "(unknown)"}");
            output.WriteLine($"AgentVersion: {id.AgentVersion ?? "(unknown)"}");
            if (!live)
            {
                output.WriteLine("Addresses: (none: the daemon is not running)");
                return;
            }
            output.WriteLine("Addresses:");
            foreach (var address in id.Addresses)
            {
                output.WriteLine("  " + address);
            }
            output.WriteLine("Protocols:");
            foreach (var protocol in id.Protocols)
            {
                output.WriteLine("  " + protocol);
            }
        }
    }

    /// <summary>Offline there is nothing to list: null, as <c>ipfs id --offline</c> prints.</summary>
    private static void WriteList(System.Text.Json.Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
