using Kiln.Core.Volumes;

namespace Kiln.Server.Tests.Persistence;

public class QueryTests
{
    /// <summary>The engine these tests run on; <see cref="QueryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static readonly string?[] Names = ["alpha", "beta", null, "Alpha", "gamma", "beta", null, "delta"];
    private static readonly VolumeStatus[] Statuses = [VolumeStatus.Available, VolumeStatus.Error, VolumeStatus.ErrorDeleting, VolumeStatus.Creating];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("created_at", false)]
    [InlineData("created_at", true)]
    [InlineData("updated_at", false)]
    [InlineData("updated_at", true)]
    [InlineData("id", false)]
    [InlineData("id", true)]
    [InlineData("name", false)]
    [InlineData("name", true)]
    [InlineData("size", false)]
    [InlineData("size", true)]
    [InlineData("status", false)]
    [InlineData("status", true)]
    public async Task QueryAsync_EachSortKeyAndDirection_PagesReturnEveryItemOnceInOrder(string key, bool descending)
    {
        await using var database = await SeededAsync();
        SortKey[] sort = [new(key, descending)];

        var expected = Expected(sort);

        (await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Sort = sort }, Cancel)).Items.Select(v => v.Id).ShouldBe(expected);
        foreach (var limit in new[] { 1, 3, 7 })
        {
            (await AllPagesAsync(database, sort, limit)).ShouldBe(expected, $"limit {limit}");
        }
    }

    [Theory]
    [InlineData("status", false, "name", true)]
    [InlineData("size", true, "created_at", false)]
    [InlineData("name", false, "updated_at", true)]
    [InlineData("updated_at", false, "size", false)]
    public async Task QueryAsync_TwoSortKeys_PagesReturnEveryItemOnceInOrder(string first, bool firstDescending, string second, bool secondDescending)
    {
        await using var database = await SeededAsync();
        SortKey[] sort = [new(first, firstDescending), new(second, secondDescending)];

        var expected = Expected(sort);

        foreach (var limit in new[] { 1, 2, 5, 100 })
        {
            (await AllPagesAsync(database, sort, limit)).ShouldBe(expected, $"limit {limit}");
        }
    }

    [Fact]
    public async Task QueryAsync_NoSort_IsNewestFirstThenIdDescending()
    {
        await using var database = await SeededAsync();

        var expected = Expected([new("created_at", true), new("id", true)]);

        (await AllPagesAsync(database, [], 4)).ShouldBe(expected);
        (await AllPagesAsync(database, [new("created_at", true)], 4)).ShouldBe(expected);
    }

    [Fact]
    public async Task QueryAsync_Limit_CapsThePage()
    {
        await using var database = await SeededAsync();

        (await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Limit = 5 }, Cancel)).Items.Count.ShouldBe(5);
        (await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Limit = 0 }, Cancel)).Items.ShouldBeEmpty();
        (await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Limit = 1000 }, Cancel)).Items.Count.ShouldBe(VolumeCount);
    }

    [Fact]
    public async Task QueryAsync_Filters_KeepOnlyMatchingVolumesOfTheProject()
    {
        await using var database = await SeededAsync();
        var all = AllSeeded().Where(v => v.ProjectId == "p1").ToList();

        var available = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Status = "available" }, Cancel);
        var errorDeleting = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Status = "error_deleting" }, Cancel);
        var named = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Name = "beta" }, Cancel);
        var both = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Name = "beta", Status = "error" }, Cancel);

        available.Items.Select(v => v.Id).ShouldBe(all.Where(v => v.Status == VolumeStatus.Available).Select(v => v.Id), ignoreOrder: true);
        available.Items.ShouldNotBeEmpty();
        errorDeleting.Items.Select(v => v.Id).ShouldBe(all.Where(v => v.Status == VolumeStatus.ErrorDeleting).Select(v => v.Id), ignoreOrder: true);
        named.Items.Select(v => v.Id).ShouldBe(all.Where(v => v.Name == "beta").Select(v => v.Id), ignoreOrder: true);
        named.Items.ShouldNotBeEmpty();
        both.Items.Select(v => v.Id).ShouldBe(all.Where(v => v.Name == "beta" && v.Status == VolumeStatus.Error).Select(v => v.Id), ignoreOrder: true);
    }

    [Fact]
    public async Task QueryAsync_FilterWithPaging_MarkerNeedNotMatchTheFilter()
    {
        await using var database = await SeededAsync();
        SortKey[] sort = [new("id", false)];
        var available = Expected(sort).Where(id => AllSeeded().Single(v => v.Id == id).Status == VolumeStatus.Available).ToList();
        var errorVolume = Expected(sort).First(id => AllSeeded().Single(v => v.Id == id).Status == VolumeStatus.Error);

        var page = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Status = "available", Sort = sort, Marker = errorVolume }, Cancel);

        page.MarkerNotFound.ShouldBeFalse();
        page.Items.Select(v => v.Id).ShouldBe(available.Where(id => string.CompareOrdinal(id, errorVolume) > 0));
    }

    [Fact]
    public async Task QueryAsync_ProjectIsolation_OtherProjectsAreInvisible()
    {
        await using var database = await SeededAsync();

        var p1 = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1" }, Cancel);
        var p2 = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p2" }, Cancel);
        var nobody = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p3" }, Cancel);
        var everyone = await database.Volumes.QueryAsync(new ListQuery(), Cancel);

        p1.Items.ShouldAllBe(v => v.ProjectId == "p1");
        p1.Items.Count.ShouldBe(VolumeCount);
        p2.Items.Select(v => v.Id).ShouldBe(["other-2", "other-1", "other-0"]);
        nobody.Items.ShouldBeEmpty();
        everyone.Items.Count.ShouldBe(VolumeCount + 3);
    }

    [Fact]
    public async Task QueryAsync_UnknownMarker_IsReportedNotFound()
    {
        await using var database = await SeededAsync();

        var page = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Marker = "no-such-volume" }, Cancel);

        page.MarkerNotFound.ShouldBeTrue();
        page.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryAsync_MarkerOfAnotherProject_IsReportedNotFound()
    {
        await using var database = await SeededAsync();

        var page = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Marker = "other-1" }, Cancel);
        var admin = await database.Volumes.QueryAsync(new ListQuery { Marker = "other-1" }, Cancel);

        page.MarkerNotFound.ShouldBeTrue();
        admin.MarkerNotFound.ShouldBeFalse();
    }

    [Fact]
    public async Task QueryAsync_LastItemAsMarker_ReturnsAnEmptyPage()
    {
        await using var database = await SeededAsync();
        var last = Expected([]).Last();

        var page = await database.Volumes.QueryAsync(new ListQuery { ProjectId = "p1", Marker = last }, Cancel);

        page.MarkerNotFound.ShouldBeFalse();
        page.Items.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("display_name")]
    [InlineData("Name")]
    [InlineData("")]
    public async Task QueryAsync_UnknownSortKey_ThrowsNamingTheKey(string key)
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        var error = await Should.ThrowAsync<ArgumentException>(() => database.Volumes.QueryAsync(new ListQuery { Sort = [new(key, false)] }, Cancel));

        error.Message.ShouldContain($"Unknown sort key '{key}'; expected one of created_at, updated_at, id, name, size, status.");
    }

    [Fact]
    public async Task QueryAsync_Snapshots_FilterByVolumeAndPageAcrossProjects()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v2"), Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v3", project: "p2"), Cancel);
        for (var i = 0; i < 9; i++)
        {
            await database.Snapshots.AddAsync(Samples.Snapshot($"s{i}", i % 2 == 0 ? "v1" : "v2") with { CreatedAt = TestDatabase.Start.AddMinutes(i % 3), Name = i % 4 == 0 ? null : $"n{i % 3}" }, Cancel);
        }

        await database.Snapshots.AddAsync(Samples.Snapshot("s-p2", "v3", project: "p2"), Cancel);

        var ofV1 = await PagesAsync(database.Snapshots, new ListQuery { ProjectId = "p1", VolumeId = "v1", Sort = [new("name", false)] }, 2);
        var newestFirst = await PagesAsync(database.Snapshots, new ListQuery { ProjectId = "p1" }, 4);
        var marker = await database.Snapshots.QueryAsync(new ListQuery { ProjectId = "p1", Marker = "s-p2" }, Cancel);
        var available = await database.Snapshots.QueryAsync(new ListQuery { ProjectId = "p1", Status = "available", Name = "n1" }, Cancel);

        ofV1.ShouldBe(["s0", "s4", "s8", "s6", "s2"]);
        newestFirst.ShouldBe(["s8", "s5", "s2", "s7", "s4", "s1", "s6", "s3", "s0"]);
        marker.MarkerNotFound.ShouldBeTrue();
        available.Items.Select(s => s.Id).ShouldBe(["s7", "s1"]);
    }

    private const int VolumeCount = 23;

    private static IEnumerable<Volume> AllSeeded()
    {
        for (var i = 0; i < VolumeCount; i++)
        {
            yield return Samples.Volume($"vol-{(i * 7) % VolumeCount:D2}") with
            {
                Name = Names[i % Names.Length],
                SizeGb = 1 + (i % 3),
                Status = Statuses[i % Statuses.Length],

                // Few distinct timestamps, so ties are common and only the id tie-breaker orders them.
                CreatedAt = TestDatabase.Start.AddSeconds(i % 5),
                UpdatedAt = i % 4 == 0 ? null : TestDatabase.Start.AddHours(i % 6),
            };
        }

        for (var i = 0; i < 3; i++)
        {
            yield return Samples.Volume($"other-{i}", project: "p2") with { CreatedAt = TestDatabase.Start.AddDays(i) };
        }
    }

    private async Task<TestDatabase> SeededAsync()
    {
        var database = await TestDatabase.CreateAsync(Engine);
        foreach (var volume in AllSeeded())
        {
            await database.Volumes.AddAsync(volume, Cancel);
        }

        return database;
    }

    /// <summary>The p1 ids in the order the sort asks for: NULL smallest, text by ordinal, then id in the first key's direction.</summary>
    private static List<string> Expected(SortKey[] sort)
    {
        List<SortKey> keys = sort.Length == 0 ? [new("created_at", true), new("id", true)] : [.. sort, new("id", sort[0].Descending)];
        var volumes = AllSeeded().Where(v => v.ProjectId == "p1").ToList();
        volumes.Sort((a, b) =>
        {
            foreach (var key in keys)
            {
                var order = Compare(a, b, key.Key);
                if (order != 0)
                {
                    return key.Descending ? -order : order;
                }
            }

            return 0;
        });
        return volumes.ConvertAll(v => v.Id);
    }

    private static int Compare(Volume a, Volume b, string key) => key switch
    {
        "created_at" => a.CreatedAt.CompareTo(b.CreatedAt),
        "updated_at" => Nullable.Compare(a.UpdatedAt, b.UpdatedAt),
        "id" => string.CompareOrdinal(a.Id, b.Id),
        "name" => string.CompareOrdinal(a.Name, b.Name),
        "size" => a.SizeGb.CompareTo(b.SizeGb),
        "status" => string.CompareOrdinal(a.Status.ToWireName(), b.Status.ToWireName()),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, null),
    };

    private static Task<List<string>> AllPagesAsync(TestDatabase database, SortKey[] sort, int limit) =>
        PagesAsync(database.Volumes, new ListQuery { ProjectId = "p1", Sort = sort }, limit);

    /// <summary>Follows the pages as a client does: the last id of each page is the next marker, until a short page.</summary>
    private static async Task<List<string>> PagesAsync(IVolumeRepository volumes, ListQuery query, int limit)
    {
        var ids = new List<string>();
        for (string? marker = null; ;)
        {
            var page = await volumes.QueryAsync(query with { Limit = limit, Marker = marker }, Cancel);
            page.MarkerNotFound.ShouldBeFalse();
            ids.AddRange(page.Items.Select(v => v.Id));
            if (page.Items.Count < limit || ids.Count > 1000)
            {
                return ids;
            }

            marker = page.Items[^1].Id;
        }
    }

    private static async Task<List<string>> PagesAsync(ISnapshotRepository snapshots, ListQuery query, int limit)
    {
        var ids = new List<string>();
        for (string? marker = null; ;)
        {
            var page = await snapshots.QueryAsync(query with { Limit = limit, Marker = marker }, Cancel);
            page.MarkerNotFound.ShouldBeFalse();
            ids.AddRange(page.Items.Select(s => s.Id));
            if (page.Items.Count < limit || ids.Count > 1000)
            {
                return ids;
            }

            marker = page.Items[^1].Id;
        }
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class QueryPostgreSqlTests : QueryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
