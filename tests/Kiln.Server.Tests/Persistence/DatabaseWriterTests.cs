using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Persistence;

public sealed class DatabaseWriterTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_WritesQueuedBehindARunningOne_AreCommittedTogether()
    {
        await using var database = await TestDatabase.CreateAsync();
        var writer = database.Services.GetRequiredService<DatabaseWriter>();
        var (first, release) = await HoldTheWriterAsync(writer);
        var before = writer.Commits;

        var queued = Enumerable.Range(0, 10).Select(i => writer.RunAsync((db, ct) => AddZoneAsync(db, $"grouped-{i}", ct), Cancel)).ToList();
        release.SetResult();
        await first;
        await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        // The held write's commit, then one commit for the ten that waited behind it.
        (writer.Commits - before).ShouldBe(2);
        (await database.QueryAsync("SELECT count(*) FROM availability_zones WHERE name LIKE 'grouped-%'")).ShouldBe(["10"]);
    }

    [Fact]
    public async Task RunAsync_OneWriteOfAGroupFails_OnlyItIsUndoneAndOnlyItsCallerSeesTheException()
    {
        await using var database = await TestDatabase.CreateAsync();
        var writer = database.Services.GetRequiredService<DatabaseWriter>();
        var (first, release) = await HoldTheWriterAsync(writer);

        var before = writer.RunAsync((db, ct) => AddZoneAsync(db, "before", ct), Cancel);
        var failing = writer.RunAsync(
            async (db, ct) =>
            {
                await AddZoneAsync(db, "half-done", ct);
                throw new InvalidOperationException("the second half failed");
            },
            Cancel);
        var after = writer.RunAsync((db, ct) => AddZoneAsync(db, "after", ct), Cancel);
        release.SetResult();
        await first;

        (await Should.ThrowAsync<InvalidOperationException>(failing)).Message.ShouldBe("the second half failed");
        await Task.WhenAll(before, after).WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        (await database.QueryAsync("SELECT name FROM availability_zones WHERE name IN ('before', 'half-done', 'after') ORDER BY name"))
            .ShouldBe(["after", "before"]);
    }

    [Fact]
    public async Task RunAsync_AloneInItsTransactionAndFailing_IsUndoneAndTheNextWriteGoesThrough()
    {
        await using var database = await TestDatabase.CreateAsync();
        var writer = database.Services.GetRequiredService<DatabaseWriter>();

        await Should.ThrowAsync<InvalidOperationException>(writer.RunAsync(
            async (db, ct) =>
            {
                await AddZoneAsync(db, "undone", ct);
                throw new InvalidOperationException("fails after its insert");
            },
            Cancel));
        await writer.RunAsync((db, ct) => AddZoneAsync(db, "next", ct), Cancel);

        (await database.QueryAsync("SELECT name FROM availability_zones WHERE name IN ('undone', 'next')")).ShouldBe(["next"]);
    }

    [Fact]
    public async Task RunAsync_CallerGaveUpWhileQueued_TheWriteIsNotRun()
    {
        await using var database = await TestDatabase.CreateAsync();
        var writer = database.Services.GetRequiredService<DatabaseWriter>();
        var (first, release) = await HoldTheWriterAsync(writer);
        using var giveUp = new CancellationTokenSource();

        var abandoned = writer.RunAsync((db, ct) => AddZoneAsync(db, "abandoned", ct), giveUp.Token);
        await giveUp.CancelAsync();
        release.SetResult();
        await first;

        await Should.ThrowAsync<OperationCanceledException>(abandoned);
        (await database.QueryAsync("SELECT count(*) FROM availability_zones WHERE name = 'abandoned'")).ShouldBe(["0"]);
    }

    [Fact]
    public async Task RunAsync_WithoutGroupCommit_EachWriteIsItsOwnAtomicTransaction()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var writer = new DatabaseWriter(
            database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>(), groupCommit: false, NullLogger.Instance);

        await writer.RunAsync((db, ct) => AddZoneAsync(db, "kept", ct), Cancel);
        await Should.ThrowAsync<InvalidOperationException>(writer.RunAsync(
            async (db, ct) =>
            {
                await AddZoneAsync(db, "undone", ct);
                throw new InvalidOperationException("fails after its first insert");
            },
            Cancel));

        writer.Commits.ShouldBe(1);
        (await database.QueryAsync("SELECT name FROM availability_zones WHERE name IN ('kept', 'undone')")).ShouldBe(["kept"]);
    }

    [Fact]
    public async Task DisposeAsync_WritesStillQueued_AreCarriedOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var writer = new DatabaseWriter(database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>(), groupCommit: true, NullLogger.Instance);
        var (first, release) = await HoldTheWriterAsync(writer);
        var queued = writer.RunAsync((db, ct) => AddZoneAsync(db, "queued", ct), Cancel);

        var disposing = writer.DisposeAsync().AsTask();
        release.SetResult();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        await first;
        await queued;
        (await database.QueryAsync("SELECT count(*) FROM availability_zones WHERE name = 'queued'")).ShouldBe(["1"]);
        Should.Throw<ObjectDisposedException>(() => writer.RunAsync((db, ct) => AddZoneAsync(db, "late", ct), Cancel));
    }

    /// <summary>Starts a write that holds the writer's loop until released, once it is running.</summary>
    private static async Task<(Task Write, TaskCompletionSource Release)> HoldTheWriterAsync(DatabaseWriter writer)
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = writer.RunAsync(
            async (db, ct) =>
            {
                running.SetResult();
                await release.Task.WaitAsync(ct);
                await AddZoneAsync(db, "holder", ct);
            },
            Cancel);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        return (write, release);
    }

    private static async Task AddZoneAsync(KilnDbContext db, string name, CancellationToken cancellationToken)
    {
        db.AvailabilityZones.Add(new AvailabilityZoneEntity { Name = name, CreatedAt = TestDatabase.Start });
        await db.SaveChangesAsync(cancellationToken);
    }
}
