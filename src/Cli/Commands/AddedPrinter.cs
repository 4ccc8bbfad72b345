using System.Globalization;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Commands;

/// <summary>
/// Prints <c>overlay add</c>'s results in kubo's forms: <c>added &lt;cid&gt; &lt;name&gt;</c>,
/// the bare CID with <c>-q</c>, only the last CID with <c>-Q</c>, or kubo's
/// <c>{"Name","Hash","Size"}</c> objects with <c>--json</c>.
/// </summary>
internal sealed class AddedPrinter(CliContext context, bool json, bool quiet, bool quieter, ProgressLine? meter)
{
    private Cid? _last;

    public void Added(Cid cid, string name, ulong dagSize)
    {
        _last = cid;
        if (quieter)
        {
            return;
        }
        meter?.Clear();
        if (json)
        {
            context.WriteJson(w =>
            {
                w.WriteString("Name", name);
                w.WriteString("Hash", cid.ToString());
                w.WriteString("Size", dagSize.ToString(CultureInfo.InvariantCulture));
            });
        }
        else if (quiet)
        {
            context.Console.Out.WriteLine(cid.ToString());
        }
        else
        {
            context.Console.Out.WriteLine(name.Length == 0 ? $"added {cid}" : $"added {cid} {name}");
        }
    }

    public void Finish()
    {
        meter?.Clear();
        if (quieter && _last is not null)
        {
            if (json)
            {
                context.WriteJson(w => w.WriteString("Hash", _last.ToString()));
            }
            else
            {
                context.Console.Out.WriteLine(_last.ToString());
            }
        }
    }
}
