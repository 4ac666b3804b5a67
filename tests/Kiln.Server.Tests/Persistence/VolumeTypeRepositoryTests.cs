using Kiln.Core.Volumes;
using Kiln.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

public class VolumeTypeRepositoryTests
{
    /// <summary>The engine these tests run on; <see cref="VolumeTypeRepositoryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static VolumeType Gold => new()
    {
        Id = "type-gold",
        Name = "gold",
        Description = "fast storage",
        IsPublic = false,
        ExtraSpecs = new Dictionary<string, string> { ["volume_backend_name"] = "fast", ["capabilities:multiattach"] = "<is> True" },
    };

    [Fact]
    public async Task TryAddAsync_EveryField_RoundTrips()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await database.Types.TryAddAsync(Gold, Cancel)).ShouldBeTrue();
        var loaded = await database.Types.FindAsync("type-gold", Cancel);

        loaded.ShouldNotBeNull();
        loaded.ShouldBe(Gold with { ExtraSpecs = loaded.ExtraSpecs });
        loaded.ExtraSpecs.ShouldBe(Gold.ExtraSpecs, ignoreOrder: true);
        (await database.QueryAsync("SELECT key || '=' || value FROM volume_type_extra_specs ORDER BY key"))
            .ShouldBe(["capabilities:multiattach=<is> True", "volume_backend_name=fast"]);
    }

    [Fact]
    public async Task TryAddAsync_NullDescription_RoundTripsAsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await database.Types.TryAddAsync(new VolumeType { Id = "t1", Name = "plain" }, Cancel);

        var loaded = await database.Types.FindAsync("t1", Cancel);
        loaded!.Description.ShouldBeNull();
        loaded.IsPublic.ShouldBeTrue();
        loaded.ExtraSpecs.ShouldBeEmpty();
    }

    [Fact]
    public async Task TryAddAsync_NameTaken_ReturnsFalse()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        (await database.Types.TryAddAsync(new VolumeType { Id = "other", Name = "gold" }, Cancel)).ShouldBeFalse();

        (await database.Types.FindAsync("other", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task TryAddAsync_NameInOtherCase_IsTaken()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        (await database.Types.TryAddAsync(new VolumeType { Id = "type-GOLD", Name = "GOLD" }, Cancel)).ShouldBeFalse();

        (await database.Types.FindAsync("GOLD", Cancel)).ShouldBeNull();
        (await database.Types.FindAsync("gold", Cancel))!.Id.ShouldBe("type-gold");
    }

    [Fact]
    public async Task UpdateAsync_RenameToAnotherTypesNameInOtherCase_RefusedButOwnCaseChangeAllowed()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);
        await database.Types.TryAddAsync(new VolumeType { Id = "t2", Name = "silver" }, Cancel);

        (await database.Types.UpdateAsync("t2", "Gold", null, null, Cancel)).ShouldBeNull();
        (await database.Types.UpdateAsync("type-gold", "GOLD", null, null, Cancel))!.Name.ShouldBe("GOLD");
    }

    [Fact]
    public async Task UniqueIndex_AnotherNodeInsertingANameInOtherCase_Refused()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        // Past the repository's check, as a node that read before this type existed would be.
        await Should.ThrowAsync<System.Data.Common.DbException>(() => database.QueryAsync(
            "INSERT INTO volume_types (id, name, is_public, created_at) VALUES ('x', 'GoLd', TRUE, '2026-01-01T00:00:00.0000000Z')"));
    }

    [Fact]
    public async Task TryAddAsync_ManyRacingTheSameName_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        var results = await Race.RunAsync(8, i => database.Types.TryAddAsync(new VolumeType { Id = $"t{i}", Name = "contested" }, Cancel));

        results.Count(added => added).ShouldBe(1);
        (await database.QueryAsync("SELECT count(*) FROM volume_types WHERE name = 'contested'")).ShouldBe(["1"]);
    }

    [Fact]
    public async Task FindAsync_IdOfOneTypeIsNameOfAnother_PrefersTheId()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(new VolumeType { Id = "silver", Name = "bronze" }, Cancel);
        await database.Types.TryAddAsync(new VolumeType { Id = "t2", Name = "silver" }, Cancel);

        (await database.Types.FindAsync("silver", Cancel))!.Name.ShouldBe("bronze");
        (await database.Types.FindAsync("bronze", Cancel))!.Id.ShouldBe("silver");
        (await database.Types.FindAsync("nothing", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_ReturnsEveryTypeWithItsSpecsByName()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);
        await database.Types.TryAddAsync(new VolumeType { Id = "t-b", Name = "bronze", ExtraSpecs = new Dictionary<string, string> { ["k"] = "v" } }, Cancel);

        var types = await database.Types.ListAsync(Cancel);

        types.Select(t => t.Name).ShouldBe(["__DEFAULT__", "bronze", "gold"]);
        types[1].ExtraSpecs.ShouldBe(new Dictionary<string, string> { ["k"] = "v" });
        types[2].ExtraSpecs.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SetExtraSpecsAsync_NewAndExistingKeys_AddsAndOverwrites()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        var updated = await database.Types.SetExtraSpecsAsync("type-gold", new Dictionary<string, string> { ["volume_backend_name"] = "slow", ["new"] = "1" }, Cancel);

        var expected = new Dictionary<string, string> { ["volume_backend_name"] = "slow", ["capabilities:multiattach"] = "<is> True", ["new"] = "1" };
        updated.Outcome.ShouldBe(TypeWriteOutcome.Done);
        updated.Type!.ExtraSpecs.ShouldBe(expected, ignoreOrder: true);
        (await database.Types.FindAsync("type-gold", Cancel))!.ExtraSpecs.ShouldBe(expected, ignoreOrder: true);
        (await database.QueryAsync("SELECT count(*) FROM volume_type_extra_specs WHERE volume_type_id = 'type-gold'")).ShouldBe(["3"]);
    }

    [Fact]
    public async Task SetExtraSpecsAsync_UnknownType_NotFound()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await database.Types.SetExtraSpecsAsync("nothing", new Dictionary<string, string> { ["k"] = "v" }, Cancel)).Outcome.ShouldBe(TypeWriteOutcome.NotFound);
    }

    [Fact]
    public async Task SetExtraSpecsAsync_ConcurrentWritersOfTheSameNewKey_AllSucceedWithOneRow()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        var results = await Race.RunAsync(8, i => database.Types.SetExtraSpecsAsync("type-gold", new Dictionary<string, string> { ["shared"] = $"{i}" }, Cancel));

        results.ShouldAllBe(r => r.Outcome == TypeWriteOutcome.Done);
        (await database.QueryAsync("SELECT count(*) FROM volume_type_extra_specs WHERE key = 'shared'")).ShouldBe(["1"]);
    }

    [Fact]
    public async Task UnsetExtraSpecAsync_ExistingKey_RemovesOnlyThatKey()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        (await database.Types.UnsetExtraSpecAsync("type-gold", "volume_backend_name", Cancel)).ShouldBe(TypeWriteOutcome.Done);

        (await database.Types.FindAsync("type-gold", Cancel))!.ExtraSpecs.Keys.ShouldBe(["capabilities:multiattach"]);
    }

    [Fact]
    public async Task UnsetExtraSpecAsync_MissingKeyOrType_ReturnsFalse()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        (await database.Types.UnsetExtraSpecAsync("type-gold", "nope", Cancel)).ShouldBe(TypeWriteOutcome.NotFound);
        (await database.Types.UnsetExtraSpecAsync("nothing", "volume_backend_name", Cancel)).ShouldBe(TypeWriteOutcome.NotFound);
        (await database.Types.UnsetExtraSpecAsync("type-gold", "VOLUME_BACKEND_NAME", Cancel)).ShouldBe(TypeWriteOutcome.NotFound);
    }

    [Fact]
    public async Task UpdateAsync_NonNullFields_AreChangedOthersKept()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        var renamed = await database.Types.UpdateAsync("type-gold", "platinum", null, null, Cancel);
        var described = await database.Types.UpdateAsync("type-gold", null, "now public", true, Cancel);

        renamed!.Name.ShouldBe("platinum");
        renamed.Description.ShouldBe("fast storage");
        described.ShouldBe(Gold with { Name = "platinum", Description = "now public", IsPublic = true, ExtraSpecs = described!.ExtraSpecs });
        described.ExtraSpecs.Count.ShouldBe(2);
        (await database.Types.FindAsync("gold", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_NameOfAnotherType_ReturnsNullAndKeepsBoth()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);
        await database.Types.TryAddAsync(new VolumeType { Id = "t2", Name = "silver" }, Cancel);

        (await database.Types.UpdateAsync("t2", "gold", "stolen", null, Cancel)).ShouldBeNull();

        var kept = await database.Types.FindAsync("t2", Cancel);
        kept.ShouldBe(new VolumeType { Id = "t2", Name = "silver", ExtraSpecs = kept!.ExtraSpecs });
        (await database.Types.UpdateAsync("type-gold", "gold", "same name is fine", null, Cancel))!.Description.ShouldBe("same name is fine");
    }

    [Fact]
    public async Task UpdateAsync_UnknownType_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await database.Types.UpdateAsync("nothing", "x", null, null, Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task RemoveAsync_TypeWithSpecs_RemovesItsSpecsToo()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        (await database.Types.RemoveAsync("type-gold", Cancel)).ShouldBe(TypeWriteOutcome.Done);
        (await database.Types.RemoveAsync("type-gold", Cancel)).ShouldBe(TypeWriteOutcome.NotFound);

        (await database.Types.FindAsync("type-gold", Cancel)).ShouldBeNull();
        (await database.QueryAsync("SELECT count(*) FROM volume_type_extra_specs")).ShouldBe(["0"]);
        (await database.Types.TryAddAsync(Gold with { ExtraSpecs = new Dictionary<string, string>() }, Cancel)).ShouldBeTrue();
        (await database.Types.FindAsync("type-gold", Cancel))!.ExtraSpecs.ShouldBeEmpty();
    }

    [Fact]
    public async Task EnsureDefaultTypeAsync_CalledAgainAndConcurrently_KeepsOneDefaultType()
    {
        await using var database = await TestDatabase.CreateAsync(Engine, migrate: false);
        await database.MigrateAsync();
        var repository = database.Services.GetRequiredService<EfVolumeTypeRepository>();
        var first = await repository.EnsureDefaultTypeAsync(Cancel);

        var again = await Race.RunAsync(8, _ => repository.EnsureDefaultTypeAsync(Cancel));

        again.ShouldAllBe(t => t.Id == first.Id);
        (await database.QueryAsync("SELECT id FROM volume_types WHERE name = '__DEFAULT__'")).ShouldBe([first.Id]);
    }

    [Fact]
    public async Task EnsureDefaultTypeAsync_ManyNodesStartingAtOnce_CreateOneDefaultType()
    {
        await using var database = await TestDatabase.CreateAsync(Engine, migrate: false);
        await database.MigrateAsync();
        await database.Types.RemoveAsync((await database.Types.FindAsync(VolumeType.DefaultName, Cancel))!.Id, Cancel);
        var nodes = Enumerable.Range(0, 6).Select(_ => database.OpenAgain()).ToList();

        var created = await Race.RunAsync(nodes.Count, i => nodes[i].GetRequiredService<EfVolumeTypeRepository>().EnsureDefaultTypeAsync(Cancel));

        created.Select(t => t.Id).Distinct().ShouldHaveSingleItem();
        (await database.QueryAsync("SELECT count(*) FROM volume_types")).ShouldBe(["1"]);
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task FindAsync_AfterThisProcessChangesAType_SeesTheChangeAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);
        (await database.Types.FindAsync("gold", Cancel)).ShouldNotBeNull();

        await database.Types.SetExtraSpecsAsync("type-gold", new Dictionary<string, string> { ["volume_backend_name"] = "slow" }, Cancel);
        (await database.Types.FindAsync("gold", Cancel))!.ExtraSpecs["volume_backend_name"].ShouldBe("slow");
        await database.Types.UnsetExtraSpecAsync("type-gold", "volume_backend_name", Cancel);
        (await database.Types.FindAsync("type-gold", Cancel))!.ExtraSpecs.ShouldNotContainKey("volume_backend_name");
        await database.Types.UpdateAsync("type-gold", "platinum", null, null, Cancel);
        (await database.Types.FindAsync("gold", Cancel)).ShouldBeNull();
        (await database.Types.ListAsync(Cancel)).Select(t => t.Name).ShouldBe(["__DEFAULT__", "platinum"]);
        await database.Types.RemoveAsync("type-gold", Cancel);
        (await database.Types.FindAsync("type-gold", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task FindAsync_TypeAnotherNodeAdded_IsFoundAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        (await database.Types.ListAsync(Cancel)).ShouldHaveSingleItem();
        await using var other = database.OpenAgain();

        await other.GetRequiredService<IVolumeTypeRepository>().TryAddAsync(Gold, Cancel);

        (await database.Types.FindAsync("gold", Cancel)).ShouldNotBeNull();
        (await database.Types.ListAsync(Cancel)).Select(t => t.Name).ShouldBe(["__DEFAULT__", "gold"]);
    }

    [Fact]
    public async Task FindAsync_TypeAnotherNodeChanged_IsSeenWithinTheCacheLifetime()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await using var other = database.OpenAgain(out var otherTime);
        var otherTypes = other.GetRequiredService<IVolumeTypeRepository>();
        await database.Types.TryAddAsync(Gold, Cancel);
        (await otherTypes.FindAsync("gold", Cancel))!.ExtraSpecs["volume_backend_name"].ShouldBe("fast");

        await database.Types.SetExtraSpecsAsync("type-gold", new Dictionary<string, string> { ["volume_backend_name"] = "slow" }, Cancel);

        // The other node's copy is still young: it answers from it.
        otherTime.Advance(EfVolumeTypeRepository.CacheLifetime - TimeSpan.FromMilliseconds(1));
        (await otherTypes.FindAsync("gold", Cancel))!.ExtraSpecs["volume_backend_name"].ShouldBe("fast");
        otherTime.Advance(TimeSpan.FromMilliseconds(1));
        (await otherTypes.FindAsync("gold", Cancel))!.ExtraSpecs["volume_backend_name"].ShouldBe("slow");
    }

    [Fact]
    public async Task FindAsync_CachedType_CannotBeChangedThroughTheReturnedCopy()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(Gold, Cancel);

        var found = await database.Types.FindAsync("gold", Cancel);

        Should.Throw<NotSupportedException>(() => ((IDictionary<string, string>)found!.ExtraSpecs)["volume_backend_name"] = "changed");
        (await database.Types.FindAsync("gold", Cancel))!.ExtraSpecs["volume_backend_name"].ShouldBe("fast");
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class VolumeTypeRepositoryPostgreSqlTests : VolumeTypeRepositoryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
