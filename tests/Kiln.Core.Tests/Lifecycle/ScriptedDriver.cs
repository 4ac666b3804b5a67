using Kiln.Core.Drivers;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>
/// The storage a test scripts: what each lifecycle call does next. Shared by every driver instance
/// the host creates, like a real array is shared by every re-initialized driver.
/// </summary>
internal sealed class Storage
{
    private readonly Lock gate = new();
    private readonly List<string> calls = [];
    private readonly List<ScriptedDriver> instances = [];

    /// <summary>Outcome of the next setup calls, in order; when empty, <see cref="SetupDefault"/>.</summary>
    public Queue<Func<CancellationToken, Task>> SetupScript { get; } = new();

    public Func<CancellationToken, Task> SetupDefault { get; set; } = _ => Task.CompletedTask;

    public Func<CancellationToken, Task> Check { get; set; } = _ => Task.CompletedTask;

    public Func<CancellationToken, Task> Stats { get; set; } = _ => Task.CompletedTask;

    /// <summary>What the readiness probe answers; null makes the driver not implement probing.</summary>
    public Func<ProbeResult>? Probe { get; set; } = () => ProbeResult.Ready;

    public Exception? CreateError { get; set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public int Count(string call) => Calls.Count(c => c == call);

    /// <summary>Every driver instance created, in order.</summary>
    public IReadOnlyList<ScriptedDriver> Instances
    {
        get
        {
            lock (gate)
            {
                return [.. instances];
            }
        }
    }

    /// <summary>What disposing an instance does (after it is counted).</summary>
    public Func<ValueTask> Dispose { get; set; } = () => ValueTask.CompletedTask;

    public void Record(string call)
    {
        lock (gate)
        {
            calls.Add(call);
        }
    }

    public static Func<CancellationToken, Task> Throw(Exception exception) => _ => Task.FromException(exception);

    public static Func<CancellationToken, Task> Hang() => ct => Task.Delay(Timeout.Infinite, ct);

    public IVolumeDriver Create()
    {
        Record("create");
        if (CreateError is not null)
        {
            throw CreateError;
        }

        var driver = Probe is null ? new ScriptedDriver(this) : new ProbingScriptedDriver(this);
        lock (gate)
        {
            instances.Add(driver);
        }

        return driver;
    }
}

internal class ScriptedDriver(Storage storage) : IVolumeDriver
{
    private int disposals;

    protected Storage Storage { get; } = storage;

    /// <summary>How many times the host disposed this instance (it must be once, after its last call).</summary>
    public int Disposals => Volatile.Read(ref disposals);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref disposals);
        return Storage.Dispose();
    }

    public Task SetupAsync(CancellationToken cancellationToken)
    {
        Storage.Record("setup");
        var step = Storage.SetupScript.TryDequeue(out var next) ? next : Storage.SetupDefault;
        return step(cancellationToken);
    }

    public Task CheckForSetupErrorAsync(CancellationToken cancellationToken)
    {
        Storage.Record("check");
        return Storage.Check(cancellationToken);
    }

    public async Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        Storage.Record("stats");
        await Storage.Stats(cancellationToken);
        return new BackendStats
        {
            VolumeBackendName = "test",
            Pools = [new PoolStats { PoolName = "test", TotalCapacityGb = 100, FreeCapacityGb = 100 }],
        };
    }

    public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) => throw new NotSupportedException();
}

internal sealed class ProbingScriptedDriver(Storage storage) : ScriptedDriver(storage), IReadinessProbe
{
    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        Storage.Record("probe");
        return Task.FromResult(Storage.Probe!());
    }
}
