using System.Globalization;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Common;

/// <summary>
/// <c>--wait</c>: polls a resource every <see cref="PollInterval"/> until it settles or the timeout
/// passes, on the injected clock, with a spinner on stderr when a person is watching.
/// </summary>
internal sealed class Waiter(TimeProvider time, CliOutput output)
{
    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Starts from <paramref name="initial"/> (what the request answered) and polls until
    /// <paramref name="settled"/>; returns the last observation and whether it settled in time.
    /// </summary>
    public async Task<WaitOutcome<T>> WaitAsync<T>(
        string subject,
        T initial,
        Func<CancellationToken, Task<T>> poll,
        Func<T, bool> settled,
        Func<T, string> describe,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settled);
        if (!output.ShowsProgress)
        {
            return await PollAsync(initial, poll, settled, timeout, (_, _) => { }, cancellationToken).ConfigureAwait(false);
        }

        return await output.Progress.Status().StartAsync(
            Markup.Escape($"{subject}: {describe(initial)}"),
            context => PollAsync(
                initial,
                poll,
                settled,
                timeout,
                (current, elapsed) => context.Status(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{subject}: {describe(current)} ({elapsed.TotalSeconds:0} s)"))),
                cancellationToken)).ConfigureAwait(false);
    }

    private async Task<WaitOutcome<T>> PollAsync<T>(
        T initial,
        Func<CancellationToken, Task<T>> poll,
        Func<T, bool> settled,
        TimeSpan timeout,
        Action<T, TimeSpan> report,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var current = initial;
        while (true)
        {
            if (settled(current))
            {
                return new WaitOutcome<T>(current, Settled: true);
            }

            var elapsed = time.GetElapsedTime(started);
            report(current, elapsed);
            if (elapsed >= timeout)
            {
                return new WaitOutcome<T>(current, Settled: false);
            }

            // The last sleep ends at the deadline, so the final poll happens exactly when the time is up.
            var remaining = timeout - elapsed;
            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, time, cancellationToken).ConfigureAwait(false);
            current = await poll(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The last observation of a <c>--wait</c>, and whether the resource settled before the timeout.</summary>
internal sealed record WaitOutcome<T>(T Last, bool Settled);
