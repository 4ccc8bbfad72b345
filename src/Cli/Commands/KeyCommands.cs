using System.CommandLine;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay key gen NAME</c> and <c>overlay key list [-l]</c>, as kubo's <c>ipfs key …</c>:
/// named Ed25519 keys in the repo's <c>keystore/</c>, each printed by its IPNS name in base36
/// (<c>k51…</c>), which is also the address of the stream the key signs.
/// </summary>
internal static class KeyCommands
{
    public static Command Create(CliContext context)
    {
        var key = new Command("key", "Create and list named keys (stream keys)");
        key.Add(Generate(context));
        key.Add(List(context));
        return key;
    }

    private static Command Generate(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Name of the new key" };
        var command = new Command("gen", "Generate a new Ed25519 key and print its name (k51…)") { name };
        context.SetAction(command, (result, _) =>
        {
            var keyName = result.GetValue(name)!;
            if (Keystore.NameProblem(keyName) is { } problem)
            {
                throw new CliException(problem);
            }
            var entry = new Keystore(context.OpenRepo(result)).Generate(keyName);
            if (context.IsJson(result))
            {
                context.WriteJson(w => Write(w, entry));
            }
            else
            {
                context.Console.Out.WriteLine(entry.Id.ToBase36Name());
            }
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var longFormat = new Option<bool>("-l") { Description = "Show each key's name (k51…) before its local name" };
        var command = new Command("list", "List the keys: 'self' (the node's identity) and the keystore's") { longFormat };
        context.SetAction(command, (result, _) =>
        {
            var entries = new Keystore(context.OpenRepo(result)).List();
            if (context.IsJson(result))
            {
                context.WriteJson(w =>
                {
                    w.WriteStartArray("Keys");
                    foreach (var entry in entries)
                    {
                        w.WriteStartObject();
                        Write(w, entry);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return Task.CompletedTask;
            }
            var withIds = result.GetValue(longFormat);
            foreach (var entry in entries)
            {
                context.Console.Out.WriteLine(withIds ? $"{entry.Id.ToBase36Name()} {entry.Name}" : entry.Name);
            }
            return Task.CompletedTask;
        });
        return command;
    }

    private static void Write(System.Text.Json.Utf8JsonWriter writer, KeystoreEntry entry)
    {
        writer.WriteString("Name", entry.Name);
        writer.WriteString("Id", entry.Id.ToBase36Name());
    }
}
