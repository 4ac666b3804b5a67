using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Types;

/// <summary><c>kiln type set TYPE key=value…</c>: adds or overwrites extra specs.</summary>
internal static class TypeSetCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var type = new Argument<string>("type") { Description = "Type name or id." };
        var specs = new Argument<string[]>("specs")
        {
            Description = "Extra specs as key=value, for example volume_backend_name=fast.",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "key=value",
        };
        specs.Validators.Add(result =>
        {
            foreach (var spec in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (spec.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"'{spec}' is not key=value: give each extra spec as key=value, for example volume_backend_name=fast");
                }
            }
        });
        var command = new Command("set", "Set extra specs of a volume type.") { type, specs };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var target = await run.Api.GetTypeAsync(run.Get(type), cancellationToken).ConfigureAwait(false);
            await run.Api.SetExtraSpecsAsync(target.Id, Parse(run.Get(specs)), cancellationToken).ConfigureAwait(false);
            TypeViews.Show(run.Output, await run.Api.GetTypeAsync(target.Id, cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
    }

    // Split at the first '=': keys cannot contain one, values may. A key given twice keeps its last value, as a later option would.
    private static Dictionary<string, string> Parse(string[] specs) =>
        specs.Select(s => s.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
}
