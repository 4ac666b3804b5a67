using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kiln.Chaos.Tests;

/// <summary>One look at one backend's lifecycle on os-services.</summary>
/// <remarks><see cref="SentUnixMs"/> is when the request left, <see cref="UnixMs"/> when the answer came: the state held somewhere between.</remarks>
internal sealed record BackendObservation(string Backend, TimeSpan At, long SentUnixMs, long UnixMs, string State, int Attempts, int Budget);

/// <summary>
/// Polls os-services (with Kiln's lifecycle fields) through the whole run: the budget and the
/// "never again after unrecoverable or gave_up" invariants are judged from these observations, the
/// fault backends' call logs, and the moments the harness itself asked for a re-initialization.
/// </summary>
internal sealed class BackendMonitor(ChaosApi api, Stopwatch clock)
{
    /// <summary>How often the states are sampled through the run (a sampling period, not a wait for a condition).</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(200);

    public ConcurrentQueue<BackendObservation> Observations { get; } = new();

    /// <summary>When the harness restarted the process or asked for a re-initialization (unix ms, sent before the request).</summary>
    public ConcurrentQueue<(string? Backend, long UnixMs, string Why)> Resets { get; } = new();

    public void NoteReset(string? backend, string why) => Resets.Enqueue((backend, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), why));

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await PollOnceAsync();
            try
            {
                await Task.Delay(SampleInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The latest state of every backend, or null when the process does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> PollOnceAsync()
    {
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var services = await api.BackendsAsync();
        if (services is null)
        {
            return null;
        }

        var at = clock.Elapsed;
        var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var states = new Dictionary<string, string>();
        foreach (var service in services)
        {
            var backend = service.GetProperty("host").GetString()!.Split('@')[1];
            var state = service.TryGetProperty("driver_state", out var s) ? s.GetString()! : "?";
            var attempts = service.TryGetProperty("reinit_attempts", out var a) ? a.GetInt32() : 0;
            var budget = service.TryGetProperty("reinit_budget", out var b) ? b.GetInt32() : 0;
            Observations.Enqueue(new BackendObservation(backend, at, sent, unixMs, state, attempts, budget));
            states[backend] = state;
        }

        return states;
    }
}
