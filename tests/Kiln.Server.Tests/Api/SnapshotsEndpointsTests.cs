using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class SnapshotsEndpointsTests
{
    [Fact]
    public async Task Create_AvailableVolume_AcceptedThenAvailableWithFullProgress()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server, size: 2);

        var created = (await CallAsync(server, HttpMethod.Post, "snapshots", $$$"""
            {"snapshot": {"volume_id": "{{{volume}}}", "name": "s", "description": "d", "force": "false", "metadata": {"k": "v"} } }
            """, HttpStatusCode.Accepted)).GetProperty("snapshot");

        created.GetProperty("status").GetString().ShouldBe("creating");

        // Cinder's create answer is the base view: the extended attributes come with show and detail.
        created.TryGetProperty("os-extended-snapshot-attributes:progress", out _).ShouldBeFalse();
        created.GetProperty("size").GetInt32().ShouldBe(2);
        var id = created.GetProperty("id").GetString();
        var snapshot = await WaitForStatusAsync(server, $"snapshots/{id}", "snapshot", "available");
        snapshot.GetProperty("volume_id").GetString().ShouldBe(volume);
        snapshot.GetProperty("name").GetString().ShouldBe("s");
        snapshot.GetProperty("description").GetString().ShouldBe("d");
        snapshot.GetProperty("metadata").GetProperty("k").GetString().ShouldBe("v");
        snapshot.GetProperty("os-extended-snapshot-attributes:progress").GetString().ShouldBe("100%");
        snapshot.GetProperty("os-extended-snapshot-attributes:project_id").GetString().ShouldBe(Project);
        snapshot.GetProperty("created_at").GetString().ShouldBe("2026-01-01T00:00:00.000000");
        snapshot.TryGetProperty("error_reason", out _).ShouldBeFalse();
        snapshot.TryGetProperty("user_id", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Show_Version341_AddsGroupSnapshotAndUser()
    {
        await using var server = await StartAsync();
        var id = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));

        var snapshot = (await GetAsync(server, $"snapshots/{id}", "3.41")).GetProperty("snapshot");

        snapshot.GetProperty("group_snapshot_id").ValueKind.ShouldBe(JsonValueKind.Null);
        snapshot.GetProperty("user_id").GetString().ShouldBe("admin");
    }

    [Theory]
    [InlineData("3.64", false)]
    [InlineData("3.65", true)]
    public async Task Show_ConsumesQuota_FromVersion365(string version, bool shown)
    {
        await using var server = await StartAsync();
        var id = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));

        var snapshot = (await GetAsync(server, $"snapshots/{id}", version)).GetProperty("snapshot");

        snapshot.TryGetProperty("consumes_quota", out var consumes).ShouldBe(shown);
        if (shown)
        {
            consumes.GetBoolean().ShouldBeTrue();
        }
    }

    [Theory]
    [InlineData("{}", "'snapshot' is a required property")]
    [InlineData("""{"snapshot": {}}""", "'volume_id' is a required property")]
    [InlineData("""{"snapshot": {"volume_id": "nope"}}""", "'nope' is not a 'uuid'")]
    [InlineData("""{"snapshot": {"volume_id": "VOLUME", "color": "red"}}""", "Additional properties are not allowed ('color' was unexpected)")]
    [InlineData("""{"snapshot": {"volume_id": "VOLUME", "force": "maybe"}}""", "Invalid input for field/attribute force")]
    [InlineData("""{"snapshot": {"volume_id": "VOLUME", "metadata": {"k": 1}}}""", "The value of 'k' is 1")]
    [InlineData("""{"snapshot": {"volume_id": "VOLUME"}, "volume": {}}""", "Additional properties are not allowed ('volume' was unexpected)")]
    public async Task Create_BadBody_BadRequestAndNoSnapshot(string body, string message)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", body.Replace("VOLUME", volume, StringComparison.Ordinal), HttpStatusCode.BadRequest)).ShouldContain(message);

        Ids(await GetAsync(server, "snapshots"), "snapshots").ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_UnknownOrAnotherProjectsVolume_NotFound()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");
        var unknown = Guid.NewGuid().ToString();

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{theirs}}}"}}""", HttpStatusCode.NotFound)).ShouldBe($"Volume {theirs} could not be found.");
        (await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{unknown}}}"}}""", HttpStatusCode.NotFound)).ShouldBe($"Volume {unknown} could not be found.");
    }

    [Fact]
    public async Task Create_BackendNotReady_ConflictAndNoSnapshot()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}"}}""", HttpStatusCode.Conflict)).ShouldContain("initializing");

        Ids(await GetAsync(server, "snapshots"), "snapshots").ShouldBeEmpty();
    }

    [Fact]
    public async Task List_SummaryAndDetail_FilteredByVolumeAndScopedToTheProject()
    {
        await using var server = await StartAsync();
        var a = await CreateVolumeAsync(server);
        var b = await CreateVolumeAsync(server);
        var ofA = await CreateSnapshotAsync(server, a);
        await CreateSnapshotAsync(server, b);
        await CreateSnapshotAsync(server, await CreateVolumeAsync(server, project: "p2"), project: "p2");

        var all = await GetAsync(server, "snapshots");
        var detail = await GetAsync(server, $"snapshots/detail?volume_id={a}");

        all.GetProperty("snapshots").GetArrayLength().ShouldBe(2);
        all.GetProperty("snapshots")[0].TryGetProperty("os-extended-snapshot-attributes:progress", out _).ShouldBeFalse();
        Ids(detail, "snapshots").ShouldBe([ofA]);
        detail.GetProperty("snapshots")[0].GetProperty("os-extended-snapshot-attributes:progress").GetString().ShouldBe("100%");
    }

    [Fact]
    public async Task List_LimitReached_NextLink()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CreateSnapshotAsync(server, volume);
        await CreateSnapshotAsync(server, volume);

        var page = await GetAsync(server, "snapshots/detail?limit=1");

        page.GetProperty("snapshots").GetArrayLength().ShouldBe(1);
        page.GetProperty("snapshots_links")[0].GetProperty("href").GetString()!.ShouldContain("/snapshots/detail?limit=1&marker=");
    }

    [Theory]
    [InlineData("size=1", "Invalid filters size are found")]
    public async Task List_BadParameters_BadRequest(string query, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, $"snapshots?{query}", null, HttpStatusCode.BadRequest)).ShouldContain(message);
    }

    [Fact]
    public async Task List_UnknownMarker_NotFoundAsCinder()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, "snapshots?marker=nope", null, HttpStatusCode.NotFound)).ShouldBe("Marker nope could not be found.");
    }

    [Fact]
    public async Task Create_NullVolumeId_NotFoundAsCinder()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", """{"snapshot": {"volume_id": null, "name": "s"}}""", HttpStatusCode.NotFound))
            .ShouldBe("Volume None could not be found.");
        (await GetAsync(server, "snapshots")).GetProperty("snapshots").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task List_SortKeyDisplayName_SortsByName()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var b = await CreateSnapshotAsync(server, volume, name: "b");
        var a = await CreateSnapshotAsync(server, volume, name: "a");

        var list = await GetAsync(server, "snapshots?sort_key=display_name&sort_dir=asc");

        Ids(list, "snapshots").ShouldBe([a, b]);
    }

    [Fact]
    public async Task Update_NameAndDescription_Changed()
    {
        await using var server = await StartAsync();
        var id = await CreateSnapshotAsync(server, await CreateVolumeAsync(server), name: "old");

        var updated = (await CallAsync(server, HttpMethod.Put, $"snapshots/{id}", """{"snapshot": {"name": "new", "display_description": "about"}}""", HttpStatusCode.OK)).GetProperty("snapshot");

        updated.GetProperty("name").GetString().ShouldBe("new");
        var shown = (await GetAsync(server, $"snapshots/{id}")).GetProperty("snapshot");
        shown.GetProperty("name").GetString().ShouldBe("new");
        shown.GetProperty("description").GetString().ShouldBe("about");
    }

    [Theory]
    [InlineData("""{"snapshot": {}}""", HttpStatusCode.BadRequest, "give at least one of name")]
    [InlineData("""{"snapshot": {"status": "error"}}""", HttpStatusCode.BadRequest, "Additional properties are not allowed ('status' was unexpected)")]
    [InlineData("""{"snapshot": {"name": 5}}""", HttpStatusCode.BadRequest, "Invalid input for field/attribute name")]
    [InlineData("""[]""", HttpStatusCode.BadRequest, "must be a JSON object")]
    public async Task Update_BadBody_RefusedAndUnchanged(string body, HttpStatusCode status, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateSnapshotAsync(server, await CreateVolumeAsync(server), name: "keep");

        (await ErrorAsync(server, HttpMethod.Put, $"snapshots/{id}", body, status)).ShouldContain(message);

        (await GetAsync(server, $"snapshots/{id}")).GetProperty("snapshot").GetProperty("name").GetString().ShouldBe("keep");
    }

    [Fact]
    public async Task UpdateShowDelete_UnknownOrAnotherProjects_NotFound()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateSnapshotAsync(server, await CreateVolumeAsync(server), name: "theirs");
        const string Other = "/v3/p9/snapshots/";

        await ErrorAsync(server, HttpMethod.Get, Other + theirs, null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Put, Other + theirs, """{"snapshot": {"name": "x"}}""", HttpStatusCode.NotFound);
        (await ErrorAsync(server, HttpMethod.Delete, Other + theirs, null, HttpStatusCode.NotFound)).ShouldBe($"Snapshot {theirs} could not be found.");
        await ErrorAsync(server, HttpMethod.Delete, "snapshots/nope", null, HttpStatusCode.NotFound);

        var kept = (await GetAsync(server, $"snapshots/{theirs}")).GetProperty("snapshot");
        kept.GetProperty("name").GetString().ShouldBe("theirs");
        kept.GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Delete_Available_AcceptedThenGoneAndTheVolumeDeletable()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var id = await CreateSnapshotAsync(server, volume);

        await CallAsync(server, HttpMethod.Delete, $"snapshots/{id}", null, HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"snapshots/{id}");
        await CallAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.Accepted);
    }
}
