using System.CommandLine;
using System.Globalization;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Quotas;

/// <summary><c>kiln quota show [PROJECT] [--usage]</c> and <c>kiln quota set [PROJECT] key=value…</c> (Cinder's os-quota-sets).</summary>
internal static class QuotaCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "quota",
            "Show and set a project's quotas (limits of volumes, gigabytes, snapshots, per type; -1 is unlimited).",
            Show(options, time),
            Set(options, time));
    }

    private static Command Show(ClientOptions options, TimeProvider time)
    {
        var project = new Argument<string?>("project") { Description = "Project id. Default: the project the client speaks for.", Arity = ArgumentArity.ZeroOrOne };
        var usage = new Option<bool>("--usage") { Description = "Also show what is in use and reserved." };
        var command = new Command("show", "Show a project's quota limits, with --usage what is in use and reserved.") { project, usage };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var quotas = await run.Api.GetQuotasAsync(run.Get(project), run.Get(usage), cancellationToken).ConfigureAwait(false);
            run.Output.Show(quotas, q => Table(run.Output, q, run.Get(usage)));
            return ExitCodes.Ok;
        });
    }

    private static Command Set(ClientOptions options, TimeProvider time)
    {
        var project = new Argument<string>("project") { Description = "Project id." };
        var limits = new Argument<string[]>("limits")
        {
            Description = "Limits as resource=N, for example volumes=20 gigabytes=500 (-1: unlimited).",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "resource=N",
        };
        limits.Validators.Add(result =>
        {
            foreach (var limit in result.GetValueOrDefault<string[]>() ?? [])
            {
                var parts = limit.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    result.AddError($"'{limit}' is not resource=N: give each limit as resource=N, for example volumes=20");
                }
            }
        });
        var command = new Command("set", "Set quota limits of a project (administrators).") { project, limits };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var parsed = run.Get(limits)
                .Select(l => l.Split('=', 2))
                .GroupBy(p => p[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => long.Parse(g.Last()[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), StringComparer.Ordinal);
            var quotas = await run.Api.SetQuotasAsync(run.Get(project), parsed, cancellationToken).ConfigureAwait(false);
            run.Output.Show(quotas, q => Table(run.Output, q, usage: false));
            return ExitCodes.Ok;
        });
    }

    private static Table Table(CliOutput output, IReadOnlyList<QuotaRecord> quotas, bool usage)
    {
        var table = usage ? output.NewTable("Resource", "Limit", "In use", "Reserved") : output.NewTable("Resource", "Limit");
        foreach (var q in quotas)
        {
            var limit = q.Limit < 0 ? "unlimited" : q.Limit.ToString(CultureInfo.InvariantCulture);
            if (usage)
            {
                table.AddRow(Cells.Text(q.Resource), Cells.Text(limit), Cells.Text(q.InUse?.ToString(CultureInfo.InvariantCulture)), Cells.Text(q.Reserved?.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                table.AddRow(Cells.Text(q.Resource), Cells.Text(limit));
            }
        }

        return table;
    }
}
