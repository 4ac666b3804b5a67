using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// Runs one backend's lifecycle in a single loop: initialize, publish stats, and re-initialize on the
/// bounded schedule of <see cref="LifecycleOptions"/> when the driver fails. Never throws out of
/// <see cref="RunAsync"/> for a driver failure; one host's trouble never reaches another.
/// </summary>
public sealed class BackendHost
{
    private readonly Func<IVolumeDriver> createDriver;
    private readonly ITransitionalResourceCleaner cleaner;
    private readonly TimeProvider timeProvider;
    private readonly Random random;
    private readonly ILogger logger;
    private readonly WakeSignal wake = new();
    private readonly Lock gate = new();
    private readonly ParkObserver parks = new();
    private readonly TransitionLog transitions;

    private BackendSnapshot snapshot;
    private IVolumeDriver? driver;
    private IVolumeDriver? probeSource;
    private bool manualRequested;
    // Whether a "ready" from the probe may start an attempt before the backoff is due. False after an
    // attempt that the probe itself vouched for failed: then only a not-ready -> ready edge, or the
    // backoff, starts the next one, so a probe that always says ready cannot make us hammer the storage.
    private bool probeMayTrigger;
    private DateTimeOffset lastStatsAttempt;

    public BackendHost(
        string host,
        string backendName,
        LifecycleOptions options,
        Func<IVolumeDriver> createDriver,
        ITransitionalResourceCleaner cleaner,
        TimeProvider timeProvider,
        Random random,
        ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        this.createDriver = createDriver;
        this.cleaner = cleaner;
        this.timeProvider = timeProvider;
        this.random = random;
        this.logger = logger;
        transitions = new TransitionLog(logger, host, options.StatsPollingInterval);
        snapshot = new BackendSnapshot
        {
            Host = host,
            BackendName = backendName,
            State = BackendState.Initializing,
            Since = timeProvider.GetUtcNow(),
            ReinitBudget = options.ReinitDriverCount,
        };
    }

    /// <summary>Raised on the loop after every change of the snapshot, with the previous and the new one.</summary>
    public event Action<BackendSnapshot, BackendSnapshot>? Changed;

    /// <summary>
    /// Raised on the loop when an initialization attempt (setup, setup check, cleanup) ends, before the
    /// state change it causes; metrics count attempts by outcome from it.
    /// </summary>
    public event Action<InitOutcome>? AttemptFinished;

    /// <summary>The lifecycle options in force.</summary>
    public LifecycleOptions Options { get; }

    /// <summary><c>host@backend</c>.</summary>
    public string Host => snapshot.Host;

    /// <summary>The current picture of this backend; safe to read from any thread.</summary>
    public BackendSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>The initialized driver while the backend is ready or degraded; null otherwise.</summary>
    public IVolumeDriver? Driver => Snapshot.State.IsSchedulable() ? Volatile.Read(ref driver) : null;

    internal ParkObserver Parks => parks;

    /// <summary>
    /// Asks for a re-initialization now with a fresh budget. Refused while an attempt is running or
    /// after shutdown; otherwise it runs as soon as the loop is free.
    /// </summary>
    public ReinitRequestResult RequestReinit()
    {
        var state = Snapshot.State;
        if (state is BackendState.Initializing or BackendState.Stopped)
        {
            return new ReinitRequestResult(false, state);
        }

        lock (gate)
        {
            manualRequested = true;
        }

        wake.Set();
        return new ReinitRequestResult(true, state);
    }

    /// <summary>Runs the lifecycle until <paramref name="stoppingToken"/> is cancelled; ends in <see cref="BackendState.Stopped"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await InitializeAsync(probeConfirmed: false, stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (TakeManualRequest())
                {
                    Log.ManualReinit(logger, Host);
                    transitions.Reset();
                    Update(s => s with { ReinitAttempts = 0 });
                    await InitializeAsync(probeConfirmed: false, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await StepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: fall through to Stopped.
        }
        finally
        {
            Transition(s => s with { State = BackendState.Stopped, NextAttemptAt = null });
            parks.Park(null);
        }
    }

    private async Task StepAsync(CancellationToken stoppingToken)
    {
        var current = Snapshot;
        switch (current.State)
        {
            case BackendState.Ready or BackendState.Degraded:
                if (!await ParkAsync(lastStatsAttempt + Options.StatsPollingInterval, stoppingToken).ConfigureAwait(false))
                {
                    await PublishStatsAsync(stoppingToken).ConfigureAwait(false);
                }

                break;
            case BackendState.Failed:
                await WaitWhileFailedAsync(current, stoppingToken).ConfigureAwait(false);
                break;
            default:
                // gave_up and unrecoverable wait for an operator.
                await ParkAsync(null, stoppingToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task WaitWhileFailedAsync(BackendSnapshot current, CancellationToken stoppingToken)
    {
        var probe = Volatile.Read(ref probeSource) as IReadinessProbe;
        var probing = probe is not null && Options.ReinitProbeInterval > TimeSpan.Zero;
        var nextAttempt = current.NextAttemptAt ?? timeProvider.GetUtcNow();
        var wakeAt = probing ? Min(nextAttempt, timeProvider.GetUtcNow() + Options.ReinitProbeInterval) : nextAttempt;
        if (await ParkAsync(wakeAt, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var attemptDue = timeProvider.GetUtcNow() >= nextAttempt;
        if (!probing)
        {
            await ReinitializeAsync(probeConfirmed: false, stoppingToken).ConfigureAwait(false);
            return;
        }

        var (result, probeUnrecoverable) = await ProbeAsync(probe!, stoppingToken).ConfigureAwait(false);

        // A probe that hits an unrecoverable error (say, its configuration broke) must not keep the
        // backend failed forever: an attempt now lets the taxonomy decide.
        if (probeUnrecoverable || (result.IsReady && (attemptDue || probeMayTrigger)))
        {
            if (!attemptDue && result.IsReady)
            {
                Log.ProbeReady(logger, transitions.Repeating ? LogLevel.Debug : LogLevel.Information, Host);
            }

            await ReinitializeAsync(probeConfirmed: true, stoppingToken).ConfigureAwait(false);
        }
        else if (!result.IsReady)
        {
            probeMayTrigger = true;
            Log.ProbeNotReady(logger, Host, result.Reason);
            if (attemptDue)
            {
                // Skip the scheduled attempt: no budget spent, same step of the backoff again.
                Update(s => s with { NextAttemptAt = timeProvider.GetUtcNow() + NextBackoff(s.ReinitAttempts) });
            }
        }
    }

    private async Task ReinitializeAsync(bool probeConfirmed, CancellationToken stoppingToken)
    {
        Update(s => s with { ReinitAttempts = ReinitPolicy.Increment(s.ReinitAttempts) });
        await InitializeAsync(probeConfirmed, stoppingToken).ConfigureAwait(false);
    }

    private async Task InitializeAsync(bool probeConfirmed, CancellationToken stoppingToken)
    {
        probeMayTrigger = !probeConfirmed;
        Transition(s => s with { State = BackendState.Initializing, NextAttemptAt = null });
        IVolumeDriver? attemptDriver = null;
        try
        {
            attemptDriver = await BoundedCall.RunAsync(
                "initialization",
                async ct =>
                {
                    var created = createDriver();
                    Volatile.Write(ref probeSource, created);
                    await created.SetupAsync(ct).ConfigureAwait(false);
                    await created.CheckForSetupErrorAsync(ct).ConfigureAwait(false);
                    await cleaner.CleanupAsync(Host, created, ct).ConfigureAwait(false);
                    return created;
                },
                Options.DriverInitTimeout,
                timeProvider,
                OnAbandonedFailure,
                stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            AttemptFinished?.Invoke(InitOutcomeExtensions.OfFailure(ex));
            OnInitFailed(ex);
            return;
        }

        AttemptFinished?.Invoke(InitOutcome.Success);
        ReplaceDriver(attemptDriver);
        Update(s => s with { ConsecutiveStatsFailures = 0 });
        await PublishStatsAsync(stoppingToken).ConfigureAwait(false);
    }

    private void OnInitFailed(Exception ex)
    {
        var cause = DriverErrorClassifier.RootCause(ex);
        var kind = DriverErrorClassifier.Classify(ex);
        var used = Snapshot.ReinitAttempts;
        var decision = ReinitPolicy.Decide(kind, used, Options.ReinitDriverCount);
        var now = timeProvider.GetUtcNow();
        Transition(s => s with
        {
            State = decision switch
            {
                AfterFailure.Retry => BackendState.Failed,
                AfterFailure.GiveUp => BackendState.GaveUp,
                _ => BackendState.Unrecoverable,
            },
            ErrorClass = cause.GetType().Name,
            ErrorMessage = cause.Message,
            NextAttemptAt = decision == AfterFailure.Retry ? now + NextBackoff(used) : null,
        });
    }

    private async Task PublishStatsAsync(CancellationToken stoppingToken)
    {
        var current = Volatile.Read(ref driver)!;
        lastStatsAttempt = timeProvider.GetUtcNow();
        BackendStats stats;
        try
        {
            stats = await BoundedCall.RunAsync(
                "stats", current.GetStatsAsync, Options.DriverInitTimeout, timeProvider, OnAbandonedFailure, stoppingToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            OnStatsFailed(ex);
            return;
        }

        Transition(s => s with
        {
            State = BackendState.Ready,
            Stats = stats,
            StatsUpdatedAt = timeProvider.GetUtcNow(),
            ConsecutiveStatsFailures = 0,
            ErrorClass = null,
            ErrorMessage = null,
            NextAttemptAt = null,
            ReinitAttempts = 0,
        });
    }

    private void OnStatsFailed(Exception ex)
    {
        var cause = DriverErrorClassifier.RootCause(ex);
        var failures = ReinitPolicy.Increment(Snapshot.ConsecutiveStatsFailures);
        Log.StatsFailed(logger, Host, failures, Options.StatsFailureThreshold, cause.GetType().Name, cause.Message);
        var failed = failures >= Options.StatsFailureThreshold;

        // A backend that published stats successfully since its last failure starts a fresh cycle (its
        // attempts were reset when it became ready). One whose stats never worked after a re-init keeps
        // spending the same budget, so "init works, stats never do" ends in gave_up, not a loop.
        var used = Snapshot.ReinitAttempts;
        var decision = failed ? ReinitPolicy.Decide(FailureKind.Recoverable, used, Options.ReinitDriverCount) : AfterFailure.Retry;
        if (failed)
        {
            probeMayTrigger = true;
            Volatile.Write(ref probeSource, Volatile.Read(ref driver));
        }

        Transition(s => s with
        {
            State = !failed ? BackendState.Degraded : decision == AfterFailure.Retry ? BackendState.Failed : BackendState.GaveUp,
            ConsecutiveStatsFailures = failures,
            ErrorClass = cause.GetType().Name,
            ErrorMessage = cause.Message,
            NextAttemptAt = failed && decision == AfterFailure.Retry ? timeProvider.GetUtcNow() + NextBackoff(used) : null,
        });
    }

    private async Task<(ProbeResult Result, bool Unrecoverable)> ProbeAsync(IReadinessProbe probe, CancellationToken stoppingToken)
    {
        // A probe slower than its own interval is as good as "not ready".
        var limit = Options.ReinitProbeInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : Options.ReinitProbeInterval;
        try
        {
            var result = await BoundedCall.RunAsync(
                "readiness probe", probe.ProbeAsync, limit, timeProvider, OnAbandonedFailure, stoppingToken, "max(reinit_probe_interval, 1 s)")
                .ConfigureAwait(false);
            return (result, false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var unrecoverable = DriverErrorClassifier.Classify(ex) == FailureKind.Unrecoverable;
            var cause = DriverErrorClassifier.RootCause(ex);
            return (ProbeResult.NotReady($"{cause.GetType().Name}: {cause.Message}"), unrecoverable);
        }
    }

    private TimeSpan NextBackoff(int used) =>
        ReinitBackoff.Compute(ReinitPolicy.Increment(used), Options.ReinitBackoffInitial, Options.ReinitBackoffMax, random.NextDouble());

    private async Task<bool> ParkAsync(DateTimeOffset? until, CancellationToken stoppingToken)
    {
        return await wake.WaitAsync(until, timeProvider, () => parks.Park(until), stoppingToken).ConfigureAwait(false);
    }

    private bool TakeManualRequest()
    {
        lock (gate)
        {
            var requested = manualRequested;
            manualRequested = false;
            return requested;
        }
    }

    private void ReplaceDriver(IVolumeDriver next)
    {
        var previous = Interlocked.Exchange(ref driver, next);
        Volatile.Write(ref probeSource, null);
        if (previous is null || ReferenceEquals(previous, next))
        {
            return;
        }

        try
        {
            (previous as IDisposable)?.Dispose();
        }
        catch (Exception ex)
        {
            Log.DisposeFailed(logger, Host, ex.Message);
        }
    }

    private void OnAbandonedFailure(Exception ex) => Log.AbandonedCallFailed(logger, Host, ex.Message);

    private void Update(Func<BackendSnapshot, BackendSnapshot> change) => Apply(change, logTransition: false);

    private void Transition(Func<BackendSnapshot, BackendSnapshot> change) => Apply(change, logTransition: true);

    private void Apply(Func<BackendSnapshot, BackendSnapshot> change, bool logTransition)
    {
        var previous = Snapshot;
        var next = change(previous);
        if (next.State != previous.State)
        {
            next = next with { Since = timeProvider.GetUtcNow() };
        }

        if (next == previous)
        {
            return;
        }

        Volatile.Write(ref snapshot, next);
        if (logTransition && next.State != previous.State)
        {
            transitions.Write(previous, next, timeProvider.GetUtcNow());
        }

        Changed?.Invoke(previous, next);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>The answer to a manual re-initialization request.</summary>
public readonly record struct ReinitRequestResult(bool Accepted, BackendState StateAtRequest);
