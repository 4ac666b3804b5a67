using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Every write to the database goes through here, each as one atomic unit (a transaction of its own,
/// or a savepoint in a shared one).
/// <para>
/// For an engine that takes one writer at a time (SQLite) the writes of this process are queued and
/// run one after another by a single loop, and the ones that queued up while the previous commit was
/// waiting for the disk are committed together: a group commit, as PostgreSQL and InnoDB do. Each
/// write has its own savepoint, so one that fails is rolled back alone and only its caller sees the
/// exception; the others are answered after the commit. Before this, concurrent writers met SQLite's
/// lock and its busy handler slept 1, 2, 5 … ms holding a thread (about four sleeps per create+delete
/// cycle at 8 clients), and every write paid its own ~0.3 ms disk sync while the next one waited.
/// </para>
/// <para>Engines with row locks run each write at once on its own context, in its own transaction.</para>
/// </summary>
internal sealed partial class DatabaseWriter : IAsyncDisposable
{
    /// <summary>Most writes committed together; a bound on how long the first of them waits.</summary>
    public const int MaxBatch = 64;

    private const string Savepoint = "kiln_write";

    private readonly IDbContextFactory<KilnDbContext> contexts;
    private readonly ILogger logger;
    private readonly DatabaseFileIdentity? file;
    private readonly Channel<Write>? queue;
    private readonly Task? loop;
    private long commits;
    private long conflictRetries;

    /// <param name="contexts">Where the contexts come from.</param>
    /// <param name="groupCommit">Queue the writes and commit them together (an engine with one writer at a time).</param>
    /// <param name="logger">For a group of writes that failed.</param>
    /// <param name="file">For SQLite: refuses commits once the open file was deleted or replaced.</param>
    public DatabaseWriter(IDbContextFactory<KilnDbContext> contexts, bool groupCommit, ILogger logger, DatabaseFileIdentity? file = null)
    {
        this.contexts = contexts;
        this.logger = logger;
        this.file = file;
        if (groupCommit)
        {
            queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
            loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>Whether writes are being committed or fail for a reason of the database itself (readiness reads it).</summary>
    public Health.DatabaseWriteHealth WriteHealth { get; } = new();

    /// <summary>Transactions committed so far (for tests and diagnostics).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Writes run again after a serialization failure or deadlock (for tests and diagnostics).</summary>
    public long ConflictRetries => Interlocked.Read(ref conflictRetries);

    /// <summary>
    /// Runs <paramref name="write"/> atomically and returns its result once it is committed. The
    /// context may be shared with other writes: use only it (no other context, no transaction of
    /// your own), and leave nothing to a later write (the change tracker is cleared after each).
    /// </summary>
    public Task<T> RunAsync<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (queue is null)
        {
            return RunAloneAsync(write, cancellationToken);
        }

        var item = new Write<T>(write, cancellationToken);
        return queue.Writer.TryWrite(item) ? item.Task : throw new ObjectDisposedException(nameof(DatabaseWriter));
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Func<KilnDbContext, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        RunAsync(
            async (db, ct) =>
            {
                await write(db, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (queue is not null)
        {
            // Writes already queued are still carried out.
            queue.Writer.TryComplete();
            await loop!.ConfigureAwait(false);
        }

        file?.Dispose();
    }

    /// <summary>
    /// One write in its own transaction, run again from the start when the engine rolled it back for a
    /// serialization failure or a deadlock (<see cref="TransactionConflicts"/>): the other transaction
    /// has finished by then, so the next attempt decides on what it did.
    /// </summary>
    private async Task<T> RunAloneAsync<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(write, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < TransactionConflicts.MaxAttempts && TransactionConflicts.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref conflictRetries);
                LogConflictRetried(logger, attempt, ex);
            }
        }
    }

    private async Task<T> RunOnceAsync<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            try
            {
                var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await write(db, cancellationToken).ConfigureAwait(false);
                    file?.ThrowIfLost();
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref commits);
                    WriteHealth.Committed();
                    return result;
                }
            }
            catch (Exception ex)
            {
                WriteHealth.Failed(ex);
                throw;
            }
        }
    }

    private async Task LoopAsync()
    {
        var reader = queue!.Reader;
        var batch = new List<Write>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                if (!write.CancelIfRequested())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<Write> batch)
    {
        var databaseFailed = false;
        try
        {
            var db = await contexts.CreateDbContextAsync().ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                await db.Database.OpenConnectionAsync().ConfigureAwait(false);
                var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    if (batch.Count == 1)
                    {
                        // Alone in its transaction: no savepoint needed, a failure rolls back the transaction.
                        try
                        {
                            await batch[0].RunAsync(db).ConfigureAwait(false);
                        }
                        catch (Exception ex)
                        {
                            await transaction.RollbackAsync().ConfigureAwait(false);
                            WriteHealth.Failed(ex);
                            batch[0].Fail(ex);
                            return;
                        }
                    }
                    else
                    {
                        foreach (var write in batch)
                        {
                            await transaction.CreateSavepointAsync(Savepoint).ConfigureAwait(false);
                            try
                            {
                                await write.RunAsync(db).ConfigureAwait(false);
                                await transaction.ReleaseSavepointAsync(Savepoint).ConfigureAwait(false);
                            }
                            catch (Exception ex)
                            {
                                // This write alone is undone; the ones before and after it stand.
                                await transaction.RollbackToSavepointAsync(Savepoint).ConfigureAwait(false);
                                await transaction.ReleaseSavepointAsync(Savepoint).ConfigureAwait(false);
                                databaseFailed |= WriteHealth.Failed(ex);
                                write.Fail(ex);
                            }
                            finally
                            {
                                db.ChangeTracker.Clear();
                            }
                        }
                    }

                    file?.ThrowIfLost();
                    await transaction.CommitAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref commits);
                    if (!databaseFailed)
                    {
                        WriteHealth.Committed();
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // The transaction itself failed (begin, a savepoint, the commit): nothing of it is in
            // the database, so every write not answered yet fails with the reason.
            LogBatchFailed(logger, batch.Count, ex);
            WriteHealth.Failed(ex);
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    [LoggerMessage(1110, LogLevel.Error, "A group of {Count} database writes failed and was rolled back")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(2500, LogLevel.Debug, "A database write met a concurrent transaction (attempt {Attempt}) and runs again")]
    private static partial void LogConflictRetried(ILogger logger, int attempt, Exception exception);

    private abstract class Write
    {
        /// <summary>Fails the write as canceled if its caller gave up while it was queued.</summary>
        public abstract bool CancelIfRequested();

        public abstract Task RunAsync(KilnDbContext db);

        /// <summary>Answers the caller once the write is committed (a no-op if it failed).</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class Write<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken) : Write
    {
        private readonly TaskCompletionSource<T> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T result = default!;

        public Task<T> Task => answer.Task;

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && answer.TrySetCanceled(cancellationToken);

        public override async Task RunAsync(KilnDbContext db) => result = await write(db, cancellationToken).ConfigureAwait(false);

        public override void Complete() => answer.TrySetResult(result);

        public override void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                answer.TrySetCanceled(cancellationToken);
            }
            else
            {
                answer.TrySetException(exception);
            }
        }
    }
}
