using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Tests.Persistence;

public class SnapshotRepositoryTests
{
    /// <summary>The engine these tests run on; <see cref="SnapshotRepositoryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static readonly SnapshotStatus[] Available = [SnapshotStatus.Available];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAsync_EveryField_RoundTrips()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        var snapshot = Samples.Snapshot("s1", "v1", status: SnapshotStatus.Error) with
        {
            ErrorReason = "creation failed",
            CreatedAt = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.FromHours(9)).AddTicks(42),
            UpdatedAt = TestDatabase.Start.AddDays(1),
        };

        await database.Snapshots.AddAsync(snapshot, Cancel);
        var loaded = await database.Snapshots.FindAsync("s1", Cancel);

        loaded.ShouldNotBeNull();
        loaded.ShouldBe(snapshot with { Metadata = loaded.Metadata });
        loaded.Metadata.ShouldBe(snapshot.Metadata);
    }

    [Fact]
    public async Task AddAsync_NullableFieldsNull_RoundTripAsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        var snapshot = new Snapshot { Id = "s1", ProjectId = "p1", VolumeId = "v1", SizeGb = 1, Status = SnapshotStatus.Creating, CreatedAt = TestDatabase.Start };

        await database.Snapshots.AddAsync(snapshot, Cancel);
        var loaded = await database.Snapshots.FindAsync("s1", Cancel);

        loaded.ShouldBe(snapshot with { Metadata = loaded!.Metadata });
        loaded.Metadata.ShouldBeEmpty();
    }

    [Fact]
    public async Task AddAsync_VolumeDoesNotExist_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await Should.ThrowAsync<DbUpdateException>(() => database.Snapshots.AddAsync(Samples.Snapshot("s1", "no-such-volume"), Cancel));
    }

    [Fact]
    public async Task VolumeTryRemoveAsync_VolumeStillHasSnapshots_ThrowsAndKeepsTheVolume()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Deleting), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1"), Cancel);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel));

        error.Message.ShouldBe("Volume v1 still has 1 snapshot(s); remove them before the volume.");
        (await database.Volumes.FindAsync("v1", Cancel)).ShouldNotBeNull();
        (await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Available, Cancel)).ShouldBeFalse();
        await database.Snapshots.TryRemoveAsync("s1", SnapshotStatus.Available, Cancel);
        (await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel)).ShouldBeTrue();
    }

    [Fact]
    public async Task TryUpdateAsync_StatusExpected_AppliesAndStampsUpdatedAt()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.Creating), Cancel);
        database.Time.Advance(TimeSpan.FromSeconds(30));

        var updated = await database.Snapshots.TryUpdateAsync("s1", [SnapshotStatus.Creating], s => s with { Status = SnapshotStatus.Available, ProviderLocation = "loc" }, Cancel);

        updated.ShouldNotBeNull();
        updated.UpdatedAt.ShouldBe(TestDatabase.Start.AddSeconds(30));
        var stored = await database.Snapshots.FindAsync("s1", Cancel);
        stored!.Status.ShouldBe(SnapshotStatus.Available);
        stored.ProviderLocation.ShouldBe("loc");
    }

    [Fact]
    public async Task TryUpdateAsync_StatusNotExpected_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.Deleting), Cancel);

        (await database.Snapshots.TryUpdateAsync("s1", Available, s => s with { Status = SnapshotStatus.Error }, Cancel)).ShouldBeNull();
        (await database.Snapshots.TryUpdateAsync("missing", Available, s => s, Cancel)).ShouldBeNull();

        (await database.Snapshots.FindAsync("s1", Cancel))!.Status.ShouldBe(SnapshotStatus.Deleting);
    }

    [Fact]
    public async Task TryUpdateAsync_SixteenRacingRequests_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1"), Cancel);

        var results = await Race.RunAsync(16, _ => database.Snapshots.TryUpdateAsync("s1", Available, s => s with { Status = SnapshotStatus.Deleting }, Cancel));

        results.Count(r => r is not null).ShouldBe(1);
    }

    [Fact]
    public async Task TryRemoveAsync_WrongStatus_KeepsTheSnapshot()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.Available), Cancel);

        (await database.Snapshots.TryRemoveAsync("s1", SnapshotStatus.Deleting, Cancel)).ShouldBeFalse();
        (await database.Snapshots.FindAsync("s1", Cancel)).ShouldNotBeNull();

        (await database.Snapshots.TryRemoveAsync("s1", SnapshotStatus.Available, Cancel)).ShouldBeTrue();
        (await database.Snapshots.FindAsync("s1", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task ListByVolumeAsync_KeepsThatVolumesSnapshotsOldestFirst()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v2"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s-late", "v1") with { CreatedAt = TestDatabase.Start.AddHours(1) }, Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s-early", "v1"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s-other", "v2"), Cancel);

        (await database.Snapshots.ListByVolumeAsync("v1", Cancel)).Select(s => s.Id).ShouldBe(["s-early", "s-late"]);
    }

    [Fact]
    public async Task ListByBackendAsync_JoinsThroughTheVolumesHost()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("plain", host: "host@backend"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("pooled", host: "host@backend#pool"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("other", host: "host@backend2#pool"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("unplaced", host: null), Cancel);
        string[] volumes = ["plain", "pooled", "other", "unplaced"];
        for (var i = 0; i < volumes.Length; i++)
        {
            await database.Snapshots.AddAsync(Samples.Snapshot($"s-{volumes[i]}", volumes[i]) with { CreatedAt = TestDatabase.Start.AddSeconds(i) }, Cancel);
        }

        (await database.Snapshots.ListByBackendAsync("host@backend", Cancel)).Select(s => s.Id).ShouldBe(["s-plain", "s-pooled"]);
        (await database.Snapshots.ListByBackendAsync("host@backend2", Cancel)).Select(s => s.Id).ShouldBe(["s-other"]);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class SnapshotRepositoryPostgreSqlTests : SnapshotRepositoryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
