using Kiln.Core.Volumes;

namespace Kiln.Server.Tests.Persistence;

public class VolumeRepositoryTests
{
    /// <summary>The engine these tests run on; <see cref="VolumeRepositoryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static readonly VolumeStatus[] Available = [VolumeStatus.Available];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAsync_EveryField_RoundTrips()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var volume = Samples.Volume("v1", status: VolumeStatus.ErrorExtending) with
        {
            ErrorReason = "extension failed",
            Bootable = true,
            AdminMetadata = new Dictionary<string, string> { ["readonly"] = "True" },
            CreatedAt = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(1234567),
            UpdatedAt = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(7),
        };

        await database.Volumes.AddAsync(volume, Cancel);
        var loaded = await database.Volumes.FindAsync("v1", Cancel);

        loaded.ShouldNotBeNull();
        loaded.ShouldBe(volume with { Metadata = loaded.Metadata, AdminMetadata = loaded.AdminMetadata });
        loaded.Metadata.ShouldBe(volume.Metadata);
        loaded.AdminMetadata.ShouldBe(volume.AdminMetadata);
        loaded.CreatedAt.UtcTicks.ShouldBe(volume.CreatedAt.UtcTicks);
        loaded.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task AddAsync_NullableFieldsNull_RoundTripAsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var volume = new Volume
        {
            Id = "v1",
            ProjectId = "p1",
            SizeGb = 1,
            Status = VolumeStatus.Creating,
            AvailabilityZone = "zone-a",
            CreatedAt = TestDatabase.Start,
        };

        await database.Volumes.AddAsync(volume, Cancel);
        var loaded = await database.Volumes.FindAsync("v1", Cancel);

        loaded.ShouldNotBeNull();
        loaded.ShouldBe(volume with { Metadata = loaded.Metadata, AdminMetadata = loaded.AdminMetadata });
        loaded.Metadata.ShouldBeEmpty();
        loaded.AdminMetadata.ShouldBeEmpty();
        loaded.Host.ShouldBeNull();
        loaded.UpdatedAt.ShouldBeNull();
    }

    [Fact]
    public async Task FindAsync_UnknownId_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await database.Volumes.FindAsync("missing", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task TryUpdateAsync_StatusExpected_AppliesTheChangeAndStampsUpdatedAt()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        database.Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await database.Volumes.TryUpdateAsync(
            "v1", [VolumeStatus.Error, VolumeStatus.Available], v => v with { Status = VolumeStatus.Extending, SizeGb = 20, Metadata = new Dictionary<string, string> { ["k"] = "v" } }, Cancel);

        updated.ShouldNotBeNull();
        updated.Status.ShouldBe(VolumeStatus.Extending);
        updated.UpdatedAt.ShouldBe(TestDatabase.Start.AddMinutes(5));
        var stored = await database.Volumes.FindAsync("v1", Cancel);
        stored.ShouldBe(updated with { Metadata = stored!.Metadata, AdminMetadata = stored.AdminMetadata });
        stored.SizeGb.ShouldBe(20);
        stored.Metadata.ShouldBe(new Dictionary<string, string> { ["k"] = "v" });
    }

    [Fact]
    public async Task TryUpdateAsync_StatusNotExpected_ReturnsNullAndChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Deleting), Cancel);

        var updated = await database.Volumes.TryUpdateAsync("v1", Available, v => v with { Status = VolumeStatus.Extending }, Cancel);

        updated.ShouldBeNull();
        var stored = await database.Volumes.FindAsync("v1", Cancel);
        stored!.Status.ShouldBe(VolumeStatus.Deleting);
        stored.UpdatedAt.ShouldBeNull();
    }

    [Fact]
    public async Task TryUpdateAsync_UnknownId_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await database.Volumes.TryUpdateAsync("missing", Available, v => v, Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task TryUpdateAsync_FromARead_WritesOnlyWhatTheChangeSets()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: null), Cancel);
        var read = (await database.Volumes.FindAsync("v1", Cancel))!;

        // Another request renames the volume and keeps its status after this one has read it.
        await database.Volumes.TryUpdateAsync("v1", [VolumeStatus.Creating], v => v with { Name = "renamed" }, Cancel);
        database.Time.Advance(TimeSpan.FromMinutes(5));
        var placed = await database.Volumes.TryUpdateAsync(read, v => v with { Host = "node@fast#pool-1" }, Cancel);

        placed.ShouldNotBeNull();
        placed.UpdatedAt.ShouldBe(TestDatabase.Start.AddMinutes(5));
        var stored = (await database.Volumes.FindAsync("v1", Cancel))!;
        stored.Host.ShouldBe("node@fast#pool-1");
        stored.Name.ShouldBe("renamed");
        stored.UpdatedAt.ShouldBe(TestDatabase.Start.AddMinutes(5));
    }

    [Fact]
    public async Task TryUpdateAsync_FromAReadWhoseStatusMoved_ReturnsNullAndChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        var read = (await database.Volumes.FindAsync("v1", Cancel))!;
        await database.Volumes.TryUpdateAsync("v1", Available, v => v with { Status = VolumeStatus.Deleting }, Cancel);

        (await database.Volumes.TryUpdateAsync(read, v => v with { Status = VolumeStatus.Extending, SizeGb = 99 }, Cancel)).ShouldBeNull();

        var stored = (await database.Volumes.FindAsync("v1", Cancel))!;
        stored.Status.ShouldBe(VolumeStatus.Deleting);
        stored.SizeGb.ShouldBe(10);
    }

    [Fact]
    public async Task TryUpdateAsync_FromAReadOfARemovedVolume_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Deleting), Cancel);
        var read = (await database.Volumes.FindAsync("v1", Cancel))!;
        await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel);

        (await database.Volumes.TryUpdateAsync(read, v => v with { Status = VolumeStatus.ErrorDeleting }, Cancel)).ShouldBeNull();
        (await database.Volumes.FindAsync("v1", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task TryUpdateAsync_FromTheSameReadRacing_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        var read = (await database.Volumes.FindAsync("v1", Cancel))!;

        var results = await Race.RunAsync(16, i => database.Volumes.TryUpdateAsync(read, v => v with { Status = VolumeStatus.Deleting, Name = $"winner-{i}" }, Cancel));

        var winners = results.Where(r => r is not null).ToList();
        winners.ShouldHaveSingleItem();
        (await database.Volumes.FindAsync("v1", Cancel))!.Name.ShouldBe(winners[0]!.Name);
    }

    [Fact]
    public async Task TryUpdateAsync_SixteenRacingRequests_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        const int Racers = 16;
        const int Rounds = 5;
        for (var round = 0; round < Rounds; round++)
        {
            var id = $"v{round}";
            await database.Volumes.AddAsync(Samples.Volume(id), Cancel);

            var results = await Race.RunAsync(
                Racers, racer => database.Volumes.TryUpdateAsync(id, Available, v => v with { Status = VolumeStatus.Deleting, ErrorReason = $"racer {racer}" }, Cancel));

            var won = results.Where(r => r is not null).ShouldHaveSingleItem();
            var stored = await database.Volumes.FindAsync(id, Cancel);
            stored!.Status.ShouldBe(VolumeStatus.Deleting);
            stored.ErrorReason.ShouldBe(won!.ErrorReason);
        }
    }

    [Fact]
    public async Task TryRemoveAsync_WrongStatus_KeepsTheVolume()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Available), Cancel);

        (await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel)).ShouldBeFalse();

        (await database.Volumes.FindAsync("v1", Cancel)).ShouldNotBeNull();
    }

    [Fact]
    public async Task TryRemoveAsync_ExpectedStatus_RemovesOnce()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Deleting), Cancel);

        (await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel)).ShouldBeTrue();
        (await database.Volumes.TryRemoveAsync("v1", VolumeStatus.Deleting, Cancel)).ShouldBeFalse();

        (await database.Volumes.FindAsync("v1", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task ListByBackendAsync_HostWithAndWithoutPool_MatchesOnlyThatBackend()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        string?[] hosts = ["host@backend", "host@backend#pool-a", "host@backend#pool-b", "host@backend2", "host@backend2#pool-a", "HOST@backend#pool-a", "other@backend", "host@backendx#p", null];
        for (var i = 0; i < hosts.Length; i++)
        {
            await database.Volumes.AddAsync(Samples.Volume($"v{i}", host: hosts[i]) with { CreatedAt = TestDatabase.Start.AddSeconds(i) }, Cancel);
        }

        var onBackend = await database.Volumes.ListByBackendAsync("host@backend", Cancel);
        var onBackend2 = await database.Volumes.ListByBackendAsync("host@backend2", Cancel);

        onBackend.Select(v => v.Host).ShouldBe(["host@backend", "host@backend#pool-a", "host@backend#pool-b"]);
        onBackend2.Select(v => v.Host).ShouldBe(["host@backend2", "host@backend2#pool-a"]);
    }

    [Fact]
    public async Task ListByBackendAsync_UnderscoreInBackendName_IsNotAWildcard()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1", host: "host@fastXssd#p"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v2", host: "host@fast_ssd#p"), Cancel);

        (await database.Volumes.ListByBackendAsync("host@fast_ssd", Cancel)).Select(v => v.Id).ShouldBe(["v2"]);
    }

    [Fact]
    public async Task ListUnscheduledAsync_KeepsUnplacedVolumesInTheStatus()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("placed", status: VolumeStatus.Creating), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("waiting", status: VolumeStatus.Creating, host: null), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("failed", status: VolumeStatus.Error, host: null), Cancel);

        (await database.Volumes.ListUnscheduledAsync(VolumeStatus.Creating, Cancel)).Select(v => v.Id).ShouldBe(["waiting"]);
    }

    [Fact]
    public async Task CountByTypeAsync_CountsVolumesOfThatTypeOnly()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1") with { VolumeTypeId = "gold" }, Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v2", project: "p2") with { VolumeTypeId = "gold" }, Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v3") with { VolumeTypeId = "silver" }, Cancel);

        (await database.Volumes.CountByTypeAsync("gold", Cancel)).ShouldBe(2);
        (await database.Volumes.CountByTypeAsync("bronze", Cancel)).ShouldBe(0);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class VolumeRepositoryPostgreSqlTests : VolumeRepositoryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
