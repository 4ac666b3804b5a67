using System.Globalization;

namespace Kiln.Cli.Commands.Common;

/// <summary>Turns the end of a <c>--wait</c> into an exit code: settled as hoped, timed out (6), or ended in error (7, with the reason).</summary>
internal static class Settling
{
    public static int Check<T>(WaitOutcome<T> outcome, string subject, TimeSpan timeout, Func<T, string> stateOf, Func<T, bool> succeeded, Func<T, string?> reasonOf)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(stateOf);
        ArgumentNullException.ThrowIfNull(succeeded);
        ArgumentNullException.ThrowIfNull(reasonOf);
        var state = stateOf(outcome.Last);
        if (!outcome.Settled)
        {
            throw new CliException(
                ExitCodes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###} s waiting for {subject}: still {state} (raise --timeout to wait longer)"));
        }

        if (!succeeded(outcome.Last))
        {
            throw new CliException(ExitCodes.ErrorStatus, $"{subject} ended in {state}: {reasonOf(outcome.Last) ?? "the server gave no reason"}");
        }

        return ExitCodes.Ok;
    }
}
