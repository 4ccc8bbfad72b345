using Overlay.Manifest.Codecs;
using System.CommandLine;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay dag put|get</c>: IPLD nodes in and out, with kubo's defaults (<c>ipfs dag put</c>
/// reads dag-json and stores dag-cbor; <c>ipfs dag get</c> writes dag-json without a newline).
/// </summary>
internal static class DagCommands
{
    public static Command Create(CliContext context)
    {
        var dag = new Command("dag", "Put and get IPLD nodes");
        dag.Add(CreatePut(context));
        dag.Add(CreateGet(context));
        return dag;
    }

    private static Command CreatePut(CliContext context)
    {
        var files = new Argument<string[]>("data")
        {
            Description = "Files holding one node each; stdin when none or \"-\"",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var inputCodec = new Option<string>("--input-codec")
        {
            Description = "Codec the input is written in",
            DefaultValueFactory = _ => "dag-json",
        };
        inputCodec.AcceptOnlyFromAmong([.. IpldCodecs.Names]);
        var storeCodec = new Option<string>("--store-codec")
        {
            Description = "Codec the node is stored in",
            DefaultValueFactory = _ => "dag-cbor",
        };
        storeCodec.AcceptOnlyFromAmong([.. IpldCodecs.Names]);
        var allowBig = new Option<bool>("--allow-big-block")
        {
            Description = $"Allow stored blocks over {BlockCommands.SoftBlockLimit} bytes",
        };
        var pin = new Option<bool>("--pin") { Description = "Pin each node recursively once it is stored" };
        var command = new Command("put", "Store IPLD nodes and print their CIDs") { files, inputCodec, storeCodec, allowBig, pin };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var repoPath = context.ResolveRepoPath(result);
            var inputCode = BlockCodecs.CodeOf(result.GetRequiredValue(inputCodec));
            var storeCode = BlockCodecs.CodeOf(result.GetRequiredValue(storeCodec));
            long blockLimit = result.GetValue(allowBig) ? Array.MaxLength : BlockCommands.SoftBlockLimit;
            // Text forms inflate bytes (base64) and escape strings; 4x the block limit is room enough.
            var inputLimit = Math.Min((long)Array.MaxLength, blockLimit * 4);
            var inputs = result.GetValue(files) is { Length: > 0 } given ? given : [InputSource.StdinName];
            foreach (var input in inputs)
            {
                var cid = await DaemonDag.TryPutAsync(repoPath, () => InputSource.Open(context.Console, input), result.GetRequiredValue(inputCodec), result.GetRequiredValue(storeCodec), result.GetValue(allowBig), result.GetValue(pin), cancellationToken).ConfigureAwait(false) is { } stored
                    ? Cid.Parse(stored)
                    : await PutOfflineAsync(context, repoPath, input, inputCode, storeCode, blockLimit, inputLimit, result.GetValue(pin), cancellationToken).ConfigureAwait(false);
                if (context.IsJson(result))
                {
                    context.WriteJson(w =>
                    {
                        w.WriteStartObject("Cid");
                        w.WriteString("/", cid.ToString());
                        w.WriteEndObject();
                    });
                }
                else
                {
                    context.Console.Out.WriteLine(cid.ToString());
                }
            }
        });
        return command;
    }

    /// <summary>Stores one node in the repo directly (no daemon runs) and returns its CID.</summary>
    private static async Task<Cid> PutOfflineAsync(CliContext context, string repoPath, string input, ulong inputCode, ulong storeCode, long blockLimit, long inputLimit, bool pin, CancellationToken cancellationToken)
    {
        var repo = OverlayRepo.Open(repoPath);
        byte[] bytes;
        await using (var stream = InputSource.Open(context.Console, input))
        {
            bytes = await InputSource.ReadAllAsync(stream, inputLimit,
                size => new CliException($"input {input} is over {inputLimit} bytes; pass --allow-big-block to accept it"),
                cancellationToken).ConfigureAwait(false);
        }
        var node = IpldCodecs.Decode(inputCode, bytes);
        var block = IpldCodecs.Encode(storeCode, node);
        if (block.Length > blockLimit)
        {
            throw new CliException($"produced block is {block.Length} bytes, over 1MiB: big blocks can't be exchanged with other peers; pass --allow-big-block to override");
        }
        var cid = Cid.Compute(storeCode, block);
        using var operation = repo.Blocks.BeginOperation();
        await operation.Blocks.PutAsync(cid, block, cancellationToken).ConfigureAwait(false);
        if (pin)
        {
            await repo.Pins.AddAsync(cid, recursive: true, operation.Blocks, cancellationToken).ConfigureAwait(false);
        }
        return cid;
    }

    private static Command CreateGet(CliContext context)
    {
        var pathArgument = new Argument<string>("ref") { Description = "CID of the node, optionally with a path into it (<cid>/a/0/b)" };
        var outputCodec = new Option<string>("--output-codec")
        {
            Description = "Codec to write the node in",
            DefaultValueFactory = _ => "dag-json",
        };
        outputCodec.AcceptOnlyFromAmong([.. IpldCodecs.Names]);
        var command = new Command("get", "Write an IPLD node (dag-json by default) to stdout") { pathArgument, outputCodec };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var (root, segments) = CidArgument.ParsePath(result.GetRequiredValue(pathArgument));
            var outputCode = BlockCodecs.CodeOf(result.GetRequiredValue(outputCodec));
            if (await DaemonDag.TryGetAsync(context.ResolveRepoPath(result), result.GetRequiredValue(pathArgument), result.GetRequiredValue(outputCodec), context.Console.Output, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var repo = context.OpenRepo(result);
            var node = await ResolveAsync(repo.Blocks, root, segments, cancellationToken).ConfigureAwait(false);
            var encoded = IpldCodecs.Encode(outputCode, node);
            await context.Console.Output.WriteAsync(encoded, cancellationToken).ConfigureAwait(false);
            await context.Console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The node at the path (<see cref="IpldPath"/>), with the repo's wording for a missing block.</summary>
    private static async Task<IpldNode> ResolveAsync(IBlockStore store, Cid root, IReadOnlyList<string> segments, CancellationToken cancellationToken)
    {
        try
        {
            return await IpldPath.ResolveAsync(store, root, segments, cancellationToken).ConfigureAwait(false);
        }
        catch (BlockNotFoundException e)
        {
            throw new CliException($"block {e.Cid} not found in the repo", e);
        }
    }
}
