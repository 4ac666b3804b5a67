using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Lets one of this process's writes at a time reach a database that takes one writer at a time
/// (SQLite). Without it, concurrent writers met SQLite's lock and its busy handler put them to sleep
/// for 1, 2, 5, 10 … ms while holding a thread: about four sleeps per volume create+delete at 8
/// clients (counted with perf), which capped throughput with a core idle. Here a waiting writer
/// holds no thread and goes the moment the one before it commits. SQLite's busy timeout still
/// covers writers in other processes. Engines with row locks get <see cref="None"/>.
/// </summary>
internal sealed class WriteGate : IDisposable
{
    public static readonly WriteGate None = new(serialize: false);

    private readonly SemaphoreSlim? gate;

    public WriteGate(bool serialize) => gate = serialize ? new SemaphoreSlim(1, 1) : null;

    /// <summary>
    /// Opens <paramref name="db"/>'s connection first (opening runs pragmas and registers functions:
    /// no reason to do it while other writers wait), then waits for this process's other writes to
    /// finish; disposing the result lets the next one go.
    /// </summary>
    public async ValueTask<Turn> EnterAsync(KilnDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await EnterAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for this process's other writes to finish; disposing the result lets the next one go.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Turn(gate);
    }

    public void Dispose() => gate?.Dispose();

    /// <summary>One write's turn; ends when disposed.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
