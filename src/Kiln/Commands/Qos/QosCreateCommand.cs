using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Qos;

/// <summary><c>kiln qos create NAME [key=value…] [--consumer front-end|back-end|both]</c>.</summary>
internal static class QosCreateCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "QoS specs name; unique." };
        var specs = new Argument<string[]>("specs")
        {
            Description = "Keys as key=value, for example total_iops_sec=500.",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "key=value",
        };
        specs.Validators.Add(result =>
        {
            foreach (var spec in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (spec.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"'{spec}' is not key=value: give each key as key=value, for example total_iops_sec=500");
                }
            }
        });
        var consumer = new Option<string?>("--consumer") { Description = "Who applies the specs: front-end (the hypervisor), back-end (the storage; the default) or both." };
        consumer.AcceptOnlyFromAmong("front-end", "back-end", "both");
        var command = new Command("create", "Create QoS specs.") { name, specs, consumer };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var keys = (run.Get(specs) ?? []).Select(s => s.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
            var created = await run.Api.CreateQosSpecsAsync(run.Get(name), run.Get(consumer), keys, cancellationToken).ConfigureAwait(false);
            run.Output.Show(created, s => QosViews.Details(run.Output, s));
            return ExitCodes.Ok;
        });
    }
}
