using System.Diagnostics;
using System.Net;

namespace Kiln.Failover.Tests;

/// <summary>
/// "Serves again": from the fault on, a new 1 GB volume is asked for every second (through either API
/// node) until one becomes available; the time from the fault to the first available one is the time to
/// serve again. The probes' volumes are acknowledged requests like any other (they go into the ledger).
/// </summary>
internal sealed class Probes(IReadOnlyList<KilnNode> apiNodes, Ledger ledger, Stopwatch clock) : IDisposable
{
    // Pacing: one probe create a second after a fault (the "served again" time is measured to that
    // resolution), and the pause between two looks at a probe volume's status.
    private static readonly TimeSpan ProbeSpacing = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StatusPause = TimeSpan.FromMilliseconds(100);

    private readonly TaskCompletionSource<TimeSpan> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Task> running = new();
    private Task launcher = Task.CompletedTask;
    private int sent;
    private int accepted;
    private string lastRefusal = "none";
    private long since;

    public void Start(long faultAt)
    {
        since = faultAt;
        launcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !first.Task.IsCompleted && sent < 60)
            {
                running.Enqueue(ProbeAsync());
                await Task.Delay(ProbeSpacing, CancellationToken.None);
            }
        });
    }

    public async Task<TimeSpan?> FirstAsync(TimeSpan bound)
    {
        try
        {
            return await first.Task.WaitAsync(bound - Stopwatch.GetElapsedTime(since) is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public string Describe() => $"{sent} probe(s) sent, {accepted} acknowledged; last refusal: {lastRefusal}";

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await launcher;
        await Task.WhenAll(running.ToArray());
    }

    public void Dispose() => stop.Dispose();

    private async Task ProbeAsync()
    {
        using var api = new FailoverApi(apiNodes, clock, Interlocked.Increment(ref sent));
        var created = await api.CreateVolumeAsync(1);
        if (!created.Accepted)
        {
            lastRefusal = created.Status is { } status ? $"{(int)status} {created.Body}" : "no answer";
            return;
        }

        Interlocked.Increment(ref accepted);
        var id = created.Body.GetProperty("volume").GetProperty("id").GetString()!;
        ledger.Add("volumes", id, clock.Elapsed);
        while (!stop.IsCancellationRequested && !first.Task.IsCompleted)
        {
            var shown = await api.ShowAsync("volumes", id);
            if (shown.Status == HttpStatusCode.OK)
            {
                var status = shown.Body.GetProperty("volume").GetProperty("status").GetString();
                if (status == "available")
                {
                    first.TrySetResult(Stopwatch.GetElapsedTime(since));
                    return;
                }

                if (!Checks.IsTransitional(status!))
                {
                    lastRefusal = $"volume {id} ended {status}";
                    return;
                }
            }

            await Task.Delay(StatusPause, CancellationToken.None);
        }
    }
}
