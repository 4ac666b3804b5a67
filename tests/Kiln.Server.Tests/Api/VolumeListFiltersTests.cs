using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>The volume and snapshot list filters Cinder has (metadata, zone, bootable, project, inexact, count, offset) and the volume summary.</summary>
public sealed class VolumeListFiltersTests
{
    [Fact]
    public async Task List_MetadataAsPythonDictionary_OnlyVolumesWithEveryPair()
    {
        await using var server = await StartAsync();
        var work = await CreateWithMetadataAsync(server, """{"Type": "work", "tier": "gold"}""");
        var other = await CreateWithMetadataAsync(server, """{"Type": "play"}""");
        var plain = await CreateVolumeAsync(server);

        // What Tempest sends: str() of a Python dict, URL-encoded.
        Ids(await GetAsync(server, $"volumes/detail?metadata={Uri.EscapeDataString("{'Type': 'work'}")}"), "volumes").ShouldBe([work]);
        Ids(await GetAsync(server, $"volumes?metadata={Uri.EscapeDataString("""{"Type": "play"}""")}"), "volumes").ShouldBe([other]);
        Ids(await GetAsync(server, $"volumes?metadata={Uri.EscapeDataString("{'Type': 'work', 'tier': 'silver'}")}"), "volumes").ShouldBeEmpty();

        // A key that is only a prefix or a value that is only a part does not match.
        Ids(await GetAsync(server, $"volumes?metadata={Uri.EscapeDataString("{'Typ': 'work'}")}"), "volumes").ShouldBeEmpty();
        Ids(await GetAsync(server, $"volumes?metadata={Uri.EscapeDataString("{'Type': 'wor'}")}"), "volumes").ShouldBeEmpty();

        // Not a dictionary: Cinder lists nothing rather than everything.
        Ids(await GetAsync(server, "volumes?metadata=work"), "volumes").ShouldBeEmpty();
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldContain(plain);
    }

    [Fact]
    public async Task List_AvailabilityZone_OnlyThatZone()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        var listed = await GetAsync(server, "volumes/detail?availability_zone=nova");
        Ids(listed, "volumes").ShouldBe([id]);
        Ids(await GetAsync(server, "volumes?availability_zone=elsewhere"), "volumes").ShouldBeEmpty();
    }

    [Fact]
    public async Task List_Bootable_FollowsSetBootable()
    {
        await using var server = await StartAsync();
        var boot = await CreateVolumeAsync(server);
        var data = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{boot}/action", """{"os-set_bootable": {"bootable": true}}""", HttpStatusCode.OK);

        Ids(await GetAsync(server, "volumes?bootable=true"), "volumes").ShouldBe([boot]);
        var detail = (await GetAsync(server, "volumes/detail?bootable=false")).GetProperty("volumes");
        detail.EnumerateArray().Select(v => v.GetProperty("id").GetString()).ShouldBe([data]);
        detail[0].GetProperty("bootable").GetString().ShouldBe("false");
    }

    [Theory]
    [InlineData("3.2", HttpStatusCode.BadRequest)]
    [InlineData("3.1", HttpStatusCode.OK)]
    public async Task List_BootableNotABoolean_RefusedFrom32(string version, HttpStatusCode expected)
    {
        await using var server = await StartAsync();

        using var response = await SendAsync(server, HttpMethod.Get, "volumes?bootable=maybe", version: version);

        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Invalid input received: 'bootable = maybe'");
        }
    }

    [Fact]
    public async Task List_AdminAllTenantsWithProjectId_OnlyThatProject()
    {
        await using var server = await StartAsync();
        var mine = await CreateVolumeAsync(server);
        var theirs = await CreateVolumeAsync(server, project: "p2");

        var listed = await GetAsync(server, "volumes/detail?all_tenants=1&project_id=p2");

        Ids(listed, "volumes").ShouldBe([theirs]);
        listed.GetProperty("volumes")[0].GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe("p2");
        Ids(await GetAsync(server, "volumes?all_tenants=1"), "volumes").ShouldBe([theirs, mine], ignoreOrder: true);
    }

    [Theory]
    [InlineData("3.31", HttpStatusCode.BadRequest)]
    [InlineData("3.30", HttpStatusCode.OK)]
    public async Task List_UserFiltersOutsideCindersList_RefusedFrom331DroppedBefore(string version, HttpStatusCode expected)
    {
        await using var server = await StartAsync();
        var mine = await CreateVolumeAsync(server);
        server.Token = "member";

        using var response = await SendAsync(server, HttpMethod.Get, "volumes?project_id=p2", version: version);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        if (expected == HttpStatusCode.BadRequest)
        {
            text.ShouldContain("Invalid filters project_id are found in query options.");
        }
        else
        {
            // Dropped: the member still sees its own volume, never another project's.
            Ids(JsonDocument.Parse(text).RootElement, "volumes").ShouldBe([mine]);
        }
    }

    [Fact]
    public async Task List_InexactName_ContainsFrom334()
    {
        await using var server = await StartAsync();
        var alpha = await CreateVolumeAsync(server, name: "alpha-data");
        await CreateVolumeAsync(server, name: "beta");

        Ids(await GetAsync(server, "volumes?name~=pha-d", version: "3.34"), "volumes").ShouldBe([alpha]);
        Ids(await GetAsync(server, "volumes?status~=vail&name~=alpha", version: "3.34"), "volumes").ShouldBe([alpha]);
        (await ErrorAsync(server, HttpMethod.Get, "volumes?name~=pha", null, HttpStatusCode.BadRequest, version: "3.33")).ShouldContain("Invalid filters name~");
    }

    [Fact]
    public async Task List_WithCount_CountOfEveryMatchFrom345()
    {
        await using var server = await StartAsync();
        await CreateVolumeAsync(server);
        await CreateVolumeAsync(server);
        await CreateVolumeAsync(server, name: "other");

        var listed = await GetAsync(server, "volumes/detail?with_count=true&limit=1&status=available", version: "3.45");

        listed.GetProperty("volumes").GetArrayLength().ShouldBe(1);
        listed.GetProperty("count").GetInt32().ShouldBe(3);
        (await GetAsync(server, "volumes?name=other&with_count=1", version: "3.45")).GetProperty("count").GetInt32().ShouldBe(1);
        (await GetAsync(server, "volumes", version: "3.45")).TryGetProperty("count", out _).ShouldBeFalse();
        (await ErrorAsync(server, HttpMethod.Get, "volumes?with_count=true", null, HttpStatusCode.BadRequest, version: "3.44")).ShouldContain("with_count");
    }

    [Fact]
    public async Task List_Offset_SkipsFromTheFirstOrTheMarker()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var snapshots = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            snapshots.Add(await CreateSnapshotAsync(server, volume));
            server.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var newestFirst = Enumerable.Reverse(snapshots).ToArray();

        // Tempest's test_snapshot_list_param_offset: offset 2, limit 3 of 3 leaves one.
        Ids(await GetAsync(server, "snapshots?offset=2&limit=3"), "snapshots").ShouldBe([newestFirst[2]]);
        Ids(await GetAsync(server, $"snapshots/detail?marker={newestFirst[0]}&offset=1"), "snapshots").ShouldBe([newestFirst[2]]);
        Ids(await GetAsync(server, "volumes?offset=1"), "volumes").ShouldBeEmpty();
        (await ErrorAsync(server, HttpMethod.Get, "volumes?offset=-1", null, HttpStatusCode.BadRequest)).ShouldBe("offset must be >= 0");
        (await ErrorAsync(server, HttpMethod.Get, "snapshots?offset=x", null, HttpStatusCode.BadRequest)).ShouldBe("offset must be an integer");
    }

    [Fact]
    public async Task List_SnapshotMetadata_OnlyMatching()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var tagged = (await CallAsync(server, HttpMethod.Post, "snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"metadata\": {\"k\": \"v\"}}}", HttpStatusCode.Accepted))
            .GetProperty("snapshot").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"snapshots/{tagged}", "snapshot", "available");
        await CreateSnapshotAsync(server, volume);

        Ids(await GetAsync(server, $"snapshots?metadata={Uri.EscapeDataString("{'k': 'v'}")}"), "snapshots").ShouldBe([tagged]);
    }

    [Fact]
    public async Task Summary_CountSizeAndMetadataByVersion()
    {
        await using var server = await StartAsync();
        await CreateWithMetadataAsync(server, """{"Type": "work"}""", size: 2);
        await CreateWithMetadataAsync(server, """{"Type": "play"}""", size: 3);
        await CreateVolumeAsync(server, project: "p2", size: 5);

        var summary = (await GetAsync(server, "volumes/summary", version: "3.12")).GetProperty("volume-summary");
        summary.GetProperty("total_count").GetInt32().ShouldBe(2);
        summary.GetProperty("total_size").GetInt32().ShouldBe(5);
        summary.TryGetProperty("metadata", out _).ShouldBeFalse();

        var withMetadata = (await GetAsync(server, "volumes/summary", version: "3.36")).GetProperty("volume-summary");
        withMetadata.GetProperty("metadata").GetProperty("Type").EnumerateArray().Select(v => v.GetString()).ShouldBe(["work", "play"], ignoreOrder: true);

        var everyone = (await GetAsync(server, "volumes/summary?all_tenants=1", version: "3.12")).GetProperty("volume-summary");
        everyone.GetProperty("total_count").GetInt32().ShouldBe(3);
        everyone.GetProperty("total_size").GetInt32().ShouldBe(10);

        server.Token = "member";
        (await GetAsync(server, "volumes/summary?all_tenants=1", version: "3.12")).GetProperty("volume-summary").GetProperty("total_count").GetInt32().ShouldBe(2);
        (await ErrorAsync(server, HttpMethod.Get, "volumes/summary", null, HttpStatusCode.NotFound, version: "3.11")).ShouldBe("Volume summary could not be found.");
    }

    [Fact]
    public async Task List_TrailingSlashWithoutId_NotFound()
    {
        await using var server = await StartAsync();

        await ErrorAsync(server, HttpMethod.Get, "volumes/", null, HttpStatusCode.NotFound);
    }

    private static async Task<string> CreateWithMetadataAsync(TestServer server, string metadata, int size = 1)
    {
        var created = await CallAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": {{{size}}}, "metadata": {{{metadata}}}}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        return id;
    }
}
