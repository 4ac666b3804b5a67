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
    private readonly Func<BackendDefinition>? readDefinition;
    private readonly ITransitionalResourceCleaner cleaner;
    private readonly TimeProvider timeProvider;
    private readonly Random random;
    private readonly ILogger logger;
    private readonly WakeSignal wake = new();
    private readonly Lock gate = new();
    private readonly ParkObserver parks = new();
    private TransitionLog transitions;

    private BackendSnapshot snapshot;
    private ProbeObservation? lastProbe;
    private LifecycleOptions options;
    private Func<IVolumeDriver> createDriver;

    // The initialized driver (its handle), and the instance the readiness probe uses while failed: the
    // driver of the last failed attempt, or the running driver after its stats failed. Written under gate.
    private DriverHandle? current;
    private DriverHandle? probeSource;
    private Task retirements = Task.CompletedTask;

    // Completed (and replaced) at every state change, so operations waiting for a driver wake up.
    private TaskCompletionSource stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A manual re-initialization was asked for; and the loop has taken it but not yet entered
    // initializing (a request in that window would otherwise run a second attempt).
    private bool manualRequested;
    private bool manualStarting;

    // Cancels the stats call in progress, so a manual re-initialization never waits for a hung one.
    private CancellationTokenSource? statsCall;
    // Whether a "ready" from the probe may start an attempt before the backoff is due. False after an
    // attempt that the probe itself vouched for failed: then only a not-ready -> ready edge, or the
    // backoff, starts the next one, so a probe that always says ready cannot make us hammer the storage.
    private bool probeMayTrigger;
    private DateTimeOffset lastStatsAttempt;

    /// <summary>
    /// A host for <paramref name="host"/> (<c>host@backend</c>). <paramref name="readDefinition"/>, when
    /// given, reads the backend's configuration section again before every manual re-initialization, so an
    /// operator's fix of kiln.conf takes effect without a restart; null keeps the first definition.
    /// </summary>
    public BackendHost(
        string host,
        string backendName,
        LifecycleOptions options,
        Func<IVolumeDriver> createDriver,
        ITransitionalResourceCleaner cleaner,
        TimeProvider timeProvider,
        Random random,
        ILogger logger,
        Func<BackendDefinition>? readDefinition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.createDriver = createDriver;
        this.readDefinition = readDefinition;
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

    /// <summary>The lifecycle options in force (replaced when a manual re-initialization reads the section again).</summary>
    public LifecycleOptions Options => Volatile.Read(ref options);

    /// <summary><c>host@backend</c>.</summary>
    public string Host => snapshot.Host;

    /// <summary>The current picture of this backend; safe to read from any thread.</summary>
    public BackendSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>The last readiness probe's answer (the dashboard shows it); null before the first probe.</summary>
    public ProbeObservation? LastProbe => Volatile.Read(ref lastProbe);

    /// <summary>
    /// The initialized driver while the backend is ready or degraded; null otherwise. For a look only:
    /// calls on it go through <see cref="TryLeaseDriver"/> so a re-initialization does not dispose it under them.
    /// </summary>
    public IVolumeDriver? Driver
    {
        get
        {
            lock (gate)
            {
                return snapshot.State.IsSchedulable() ? current?.Driver : null;
            }
        }
    }

    internal ParkObserver Parks => parks;

    /// <summary>Completes when every driver instance retired so far has been drained and disposed.</summary>
    internal Task Retirements
    {
        get
        {
            lock (gate)
            {
                return retirements;
            }
        }
    }

    /// <summary>
    /// Asks for a re-initialization now with a fresh budget. Refused while an attempt is running or
    /// after shutdown; otherwise it runs as soon as the loop is free. A stats call in progress is abandoned.
    /// </summary>
    public ReinitRequestResult RequestReinit() => Request(queueBehindAttempt: false);

    /// <summary>
    /// Asks for a re-initialization because the backend's configuration changed (SIGHUP). Unlike
    /// <see cref="RequestReinit"/> it is not refused while an attempt runs: the new attempt follows it,
    /// so the change is never lost. Refused only after shutdown.
    /// </summary>
    public ReinitRequestResult RequestRedefinition() => Request(queueBehindAttempt: true);

    /// <summary>
    /// A lease on the initialized driver while the backend is ready or degraded; null otherwise. Dispose
    /// it when the call ends: a driver replaced meanwhile is disposed only after its last lease.
    /// </summary>
    public DriverLease? TryLeaseDriver()
    {
        lock (gate)
        {
            if (!snapshot.State.IsSchedulable() || current is not { } handle || !handle.TryAcquire())
            {
                return null;
            }

            return new DriverLease(handle, options.DriverOperationTimeout);
        }
    }

    /// <summary>
    /// A lease on the initialized driver; while the backend is <c>initializing</c> (a re-initialization of
    /// a healthy backend, or start-up) it waits for the attempt's outcome, at most as long as an attempt
    /// can last (<see cref="LifecycleOptions.LongestAttempt"/>). Null when the backend is, or ends, not usable.
    /// </summary>
    public async Task<DriverLease?> LeaseDriverAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? waitUntil = null;
        while (true)
        {
            Task changed;
            BackendState state;
            lock (gate)
            {
                changed = stateChanged.Task;
                state = snapshot.State;
            }

            if (TryLeaseDriver() is { } lease)
            {
                return lease;
            }

            if (state != BackendState.Initializing)
            {
                return null;
            }

            waitUntil ??= timeProvider.GetUtcNow() + Options.LongestAttempt;
            var remaining = waitUntil.Value - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await changed.WaitAsync(remaining, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    private ReinitRequestResult Request(bool queueBehindAttempt)
    {
        BackendState state;
        CancellationTokenSource? stats;
        lock (gate)
        {
            // Read under the gate, like the loop's own transitions, so a request never slips in between the
            // loop taking an earlier request and entering initializing (that would run a second attempt).
            state = manualStarting ? BackendState.Initializing : snapshot.State;
            if (state is BackendState.Stopped || (state is BackendState.Initializing && !queueBehindAttempt))
            {
                return new ReinitRequestResult(false, state);
            }

            manualRequested = true;
            stats = statsCall;
        }

        try
        {
            stats?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stats call ended meanwhile.
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
                    Redefine();
                    transitions.Reset();
                    Update(s => s with { ReinitAttempts = 0, ReinitBudget = Options.ReinitDriverCount });
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
            DriverHandle? running, probing;
            lock (gate)
            {
                (running, probing) = (current, probeSource);
                (current, probeSource) = (null, null);
            }

            Retire(running);
            Retire(probing);
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

    private async Task WaitWhileFailedAsync(BackendSnapshot failed, CancellationToken stoppingToken)
    {
        DriverHandle? source;
        lock (gate)
        {
            source = probeSource;
        }

        var probe = source?.Driver as IReadinessProbe;
        var probing = probe is not null && Options.ReinitProbeInterval > TimeSpan.Zero;
        var nextAttempt = failed.NextAttemptAt ?? timeProvider.GetUtcNow();
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

        var (result, probeUnrecoverable) = await ProbeAsync(source!, stoppingToken).ConfigureAwait(false);
        Volatile.Write(ref lastProbe, new ProbeObservation(timeProvider.GetUtcNow(), result.IsReady, result.Reason));

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
        var create = Volatile.Read(ref createDriver);
        DriverHandle attempt;
        try
        {
            attempt = await BoundedCall.RunAsync(
                "initialization",
                async ct =>
                {
                    // The attempt holds a lease for as long as it runs, abandoned or not: the instance of a
                    // failed attempt is disposed only once its own calls have ended.
                    var handle = new DriverHandle(create());
                    handle.TryAcquire();
                    SetProbeSource(handle);
                    try
                    {
                        await handle.Driver.SetupAsync(ct).ConfigureAwait(false);
                        await handle.Driver.CheckForSetupErrorAsync(ct).ConfigureAwait(false);
                        await cleaner.CleanupAsync(Host, handle.Driver, ct).ConfigureAwait(false);
                        await cleaner.ResyncAsync(Host, handle.Driver, Options.DriverOperationTimeout, ct).ConfigureAwait(false);
                        return handle;
                    }
                    finally
                    {
                        handle.Release();
                    }
                },
                Options.DriverInitTimeout,
                timeProvider,
                OnAbandonedFailure,
                stoppingToken,
                onAbandonedResult: Retire).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            RaiseAttemptFinished(InitOutcomeExtensions.OfFailure(ex));
            OnInitFailed(ex);
            return;
        }

        RaiseAttemptFinished(InitOutcome.Success);
        ReplaceDriver(attempt);
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
        lastStatsAttempt = timeProvider.GetUtcNow();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        DriverHandle handle;
        lock (gate)
        {
            handle = current!;
            statsCall = call;

            // A request that came before this call (while the loop was busy) would not see it to cancel.
            if (manualRequested)
            {
                call.Cancel();
            }
        }

        BackendStats stats;
        try
        {
            stats = await BoundedCall.RunAsync(
                "stats",
                async ct =>
                {
                    if (!handle.TryAcquire())
                    {
                        throw new ObjectDisposedException(nameof(IVolumeDriver), "the driver was retired before its stats call");
                    }

                    try
                    {
                        return await handle.Driver.GetStatsAsync(ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        handle.Release();
                    }
                },
                Options.DriverStatsTimeout,
                timeProvider,
                OnAbandonedFailure,
                call.Token,
                DriverStatsTimeoutName).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // A manual re-initialization is waiting: this call neither failed nor succeeded.
            Log.StatsAbandonedForReinit(logger, Host);
            return;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            OnStatsFailed(ex);
            return;
        }
        finally
        {
            lock (gate)
            {
                statsCall = null;
            }
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
            lock (gate)
            {
                probeSource = current;
            }
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

    private async Task<(ProbeResult Result, bool Unrecoverable)> ProbeAsync(DriverHandle source, CancellationToken stoppingToken)
    {
        // A probe slower than its own interval is as good as "not ready".
        var limit = Options.ReinitProbeInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : Options.ReinitProbeInterval;
        try
        {
            var result = await BoundedCall.RunAsync(
                "readiness probe",
                async ct =>
                {
                    if (!source.TryAcquire())
                    {
                        return ProbeResult.NotReady("the probed driver instance was retired");
                    }

                    try
                    {
                        return await ((IReadinessProbe)source.Driver).ProbeAsync(ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        source.Release();
                    }
                },
                limit,
                timeProvider,
                OnAbandonedFailure,
                stoppingToken,
                "max(reinit_probe_interval, 1 s)")
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
            manualStarting = requested;
            return requested;
        }
    }

    // Reads the backend's section again (an operator may have fixed kiln.conf). A failure to read it is the
    // attempt's configuration error: the backend then shows why, rather than running the old section.
    private void Redefine()
    {
        if (readDefinition is null)
        {
            return;
        }

        BackendDefinition definition;
        try
        {
            definition = readDefinition();
        }
        catch (Exception ex)
        {
            Log.RedefineFailed(logger, Host, ex);
            var error = ex as DriverConfigurationException ?? new DriverConfigurationException($"the configuration could not be read again: {ex.Message}", ex);
            definition = new BackendDefinition(Options, () => throw error);
        }

        Volatile.Write(ref options, definition.Options);
        Volatile.Write(ref createDriver, definition.CreateDriver);
        transitions = new TransitionLog(logger, Host, definition.Options.StatsPollingInterval);
    }

    // The instance of an attempt becomes the probe's until the next attempt or success; the one it
    // replaces (a failed attempt's instance) is retired unless it is the running driver.
    private void SetProbeSource(DriverHandle handle)
    {
        DriverHandle? previous;
        lock (gate)
        {
            previous = probeSource;
            probeSource = handle;
            if (ReferenceEquals(previous, current))
            {
                previous = null;
            }
        }

        Retire(previous);
    }

    private void ReplaceDriver(DriverHandle next)
    {
        DriverHandle? previous, probing;
        lock (gate)
        {
            previous = current;
            probing = probeSource;
            current = next;
            probeSource = null;
        }

        if (!ReferenceEquals(previous, next))
        {
            Retire(previous);
        }

        if (!ReferenceEquals(probing, next) && !ReferenceEquals(probing, previous))
        {
            Retire(probing);
        }
    }

    // Lets go of a driver instance: it is disposed once the calls still using it have ended, or after the
    // longest a call may run, in the background so the loop goes on at once.
    private void Retire(DriverHandle? handle)
    {
        if (handle is null || !handle.Retire())
        {
            return;
        }

        var retirement = DrainAndDisposeAsync(handle, Options.LongestCall);
        lock (gate)
        {
            // Only retirements still running are chained, so a backend that fails for months keeps no history.
            retirements = retirements.IsCompleted ? retirement : Task.WhenAll(retirements, retirement);
        }
    }

    private async Task DrainAndDisposeAsync(DriverHandle handle, TimeSpan bound)
    {
        if (!handle.Drained.IsCompleted)
        {
            Log.Draining(logger, Host, handle.Leases, bound);
            try
            {
                await handle.Drained.WaitAsync(bound, timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.DrainTimedOut(logger, Host, handle.Leases, bound);
            }
        }

        try
        {
            await handle.Driver.DisposeAsync().ConfigureAwait(false);
            Log.Disposed(logger, Host);
        }
        catch (Exception ex)
        {
            Log.DisposeFailed(logger, Host, ex);
        }
    }

    // Subscribers run on the loop; one that throws must not end it (the backend would be stuck stopped).
    private void RaiseAttemptFinished(InitOutcome outcome)
    {
        if (AttemptFinished is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<InitOutcome>>())
        {
            try
            {
                handler(outcome);
            }
            catch (Exception ex)
            {
                Log.SubscriberFailed(logger, Host, nameof(AttemptFinished), Describe(handler), ex);
            }
        }
    }

    private void RaiseChanged(BackendSnapshot previous, BackendSnapshot next)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<BackendSnapshot, BackendSnapshot>>())
        {
            try
            {
                handler(previous, next);
            }
            catch (Exception ex)
            {
                Log.SubscriberFailed(logger, Host, nameof(Changed), Describe(handler), ex);
            }
        }
    }

    private static string Describe(Delegate handler) => $"{handler.Method.DeclaringType?.FullName}.{handler.Method.Name}";

    private const string DriverStatsTimeoutName = LifecycleOptions.DriverStatsTimeoutOption;

    private void OnAbandonedFailure(Exception ex) => Log.AbandonedCallFailed(logger, Host, ex.Message);

    private void Update(Func<BackendSnapshot, BackendSnapshot> change) => Apply(change, logTransition: false);

    private void Transition(Func<BackendSnapshot, BackendSnapshot> change) => Apply(change, logTransition: true);

    private void Apply(Func<BackendSnapshot, BackendSnapshot> change, bool logTransition)
    {
        BackendSnapshot previous, next;
        TaskCompletionSource? changed = null;
        lock (gate)
        {
            previous = snapshot;
            next = change(previous);
            if (next.State != previous.State)
            {
                next = next with { Since = timeProvider.GetUtcNow() };
                changed = stateChanged;
                stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (next.State is BackendState.Initializing or BackendState.Stopped)
            {
                manualStarting = false;
            }

            if (next == previous)
            {
                return;
            }

            Volatile.Write(ref snapshot, next);
        }

        changed?.TrySetResult();
        if (logTransition && next.State != previous.State)
        {
            transitions.Write(previous, next, timeProvider.GetUtcNow());
        }

        RaiseChanged(previous, next);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>The answer to a manual re-initialization request.</summary>
public readonly record struct ReinitRequestResult(bool Accepted, BackendState StateAtRequest);
