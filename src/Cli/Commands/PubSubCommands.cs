using System.CommandLine;
using System.Text;
using Overlay.Cli.Api;
using Overlay.Gateway;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay pubsub pub|sub|ls|peers</c>: the daemon's pubsub (gossipsub, also speaking
/// floodsub), like kubo's <c>ipfs pubsub</c>. Topics travel multibase-encoded (base64url), as
/// kubo's RPC wants them, so any text survives the query string.
/// </summary>
internal static class PubSubCommands
{
    public static Command Create(CliContext context)
    {
        var pubsub = new Command("pubsub", "Publish and subscribe to topics (needs a running daemon)");
        pubsub.Add(Publish(context));
        pubsub.Add(Subscribe(context));
        pubsub.Add(Topics(context));
        pubsub.Add(Peers(context));
        return pubsub;
    }

    /// <summary>How a topic goes into <c>arg</c>: multibase base64url (prefix <c>u</c>), as kubo's clients send it.</summary>
    public static string EncodeTopic(string topic) => Multibase.Encode(Encoding.UTF8.GetBytes(topic), MultibaseEncoding.Base64Url);

    private static Command Publish(CliContext context)
    {
        var topic = new Argument<string>("topic") { Description = "Topic to publish to" };
        var data = new Argument<string?>("data") { Description = "The message; stdin when \"-\" or absent", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("pub", "Publish a message to a topic") { topic, data };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var text = result.GetValue(data);
            Func<Stream> open = InputSource.IsStdin(text) ? () => InputSource.Open(context.Console, InputSource.StdinName) : () => new MemoryStream(Encoding.UTF8.GetBytes(text!));
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var upload = new MultipartUpload(new UploadPart("data", UploadPart.FileType, open));
            using var response = await DaemonAdd.SendAsync(client, "pubsub/pub", [KeyValuePair.Create("arg", EncodeTopic(result.GetRequiredValue(topic)))], upload, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException(ApiClient.NoDaemonMessage);
        });
        return command;
    }

    private static Command Subscribe(CliContext context)
    {
        var topic = new Argument<string>("topic") { Description = "Topic to subscribe to" };
        var command = new Command("sub", "Print the messages of a topic as they arrive, one per line (with --json, kubo's objects), until Ctrl-C") { topic };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var json = context.IsJson(result);
            var output = context.Console.Output;
            await foreach (var message in client.PostStreamAsync("pubsub/sub", [KeyValuePair.Create("arg", EncodeTopic(result.GetRequiredValue(topic)))], ApiJsonContext.Default.PubSubMessageResponse, cancellationToken).ConfigureAwait(false))
            {
                if (json)
                {
                    SwarmCommands.WriteJsonLine(context, message, ApiJsonContext.Default.PubSubMessageResponse);
                }
                else
                {
                    await output.WriteAsync(Decode(message.Data), cancellationToken).ConfigureAwait(false);
                    await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                }
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Command Topics(CliContext context)
    {
        var command = new Command("ls", "List the topics the daemon is subscribed to");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var answer = await client.PostAsync("pubsub/ls", [], ApiJsonContext.Default.StringsResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, answer, ApiJsonContext.Default.StringsResponse);
                return;
            }
            foreach (var encoded in answer.Strings)
            {
                await context.Console.Out.WriteLineAsync(Encoding.UTF8.GetString(Decode(encoded))).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Command Peers(CliContext context)
    {
        var topic = new Argument<string?>("topic") { Description = "Only peers subscribed to this topic", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("peers", "List the peers we speak pubsub with") { topic };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var query = result.GetValue(topic) is { } t ? [KeyValuePair.Create("arg", EncodeTopic(t))] : Array.Empty<KeyValuePair<string, string>>();
            var answer = await client.PostAsync("pubsub/peers", query, ApiJsonContext.Default.StringsResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, answer, ApiJsonContext.Default.StringsResponse);
                return;
            }
            foreach (var peer in answer.Strings)
            {
                await context.Console.Out.WriteLineAsync(peer).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static byte[] Decode(string multibase)
    {
        try
        {
            return Multibase.Decode(multibase);
        }
        catch (MalformedDataException e)
        {
            throw new CliException($"the daemon sent \"{multibase}\", which is not multibase: {e.Message}", e);
        }
    }
}
