using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumesEndpointsTests
{
    [Fact]
    public async Task Create_ValidBody_AcceptedCreatingThenAvailableOnTheBackend()
    {
        await using var server = await StartAsync();
        server.KilnExtensions = true;

        var created = (await CallAsync(server, HttpMethod.Post, "volumes", """
            {"volume": {"size": 2, "name": "data", "description": "d", "metadata": {"k": "v"}}}
            """, HttpStatusCode.Accepted)).GetProperty("volume");

        created.GetProperty("status").GetString().ShouldBe("creating");
        created.GetProperty("size").GetInt32().ShouldBe(2);
        created.GetProperty("name").GetString().ShouldBe("data");
        created.GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
        created.GetProperty("availability_zone").GetString().ShouldBe("nova");
        created.GetProperty("created_at").GetString().ShouldBe("2026-01-01T00:00:00.000000");
        var id = created.GetProperty("id").GetString()!;
        var available = await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        available.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fast#fast");
        available.GetProperty("metadata").GetProperty("k").GetString().ShouldBe("v");
        available.GetProperty("description").GetString().ShouldBe("d");
        available.GetProperty("error_reason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Create_NoBackendReady_ErrorWithAReasonNamingTheBackend()
    {
        await using var server = await StartAsync();
        server.KilnExtensions = true;
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);

        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var failed = await WaitForStatusAsync(server, $"volumes/{id}", "volume", "error");
        failed.GetProperty("error_reason").GetString()!.ShouldContain("node@fast");
    }

    [Fact]
    public async Task Create_NoBackendReady_UserMessageSaysWhyAsCinderDoes()
    {
        await using var server = await StartAsync();
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);
        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var failed = await WaitForStatusAsync(server, $"volumes/{id}", "volume", "error");
        failed.TryGetProperty("error_reason", out _).ShouldBeFalse();

        var messages = (await GetAsync(server, "messages", "3.3")).GetProperty("messages").EnumerateArray().ToList();

        var message = messages.ShouldHaveSingleItem();
        message.GetProperty("resource_uuid").GetString().ShouldBe(id);
        message.GetProperty("resource_type").GetString().ShouldBe("VOLUME");
        message.GetProperty("event_id").GetString().ShouldBe("VOLUME_VOLUME_001_003");
        message.GetProperty("message_level").GetString().ShouldBe("ERROR");
        message.GetProperty("user_message").GetString()!.ShouldStartWith("schedule allocate volume: ");
        message.GetProperty("user_message").GetString()!.ShouldContain("node@fast");
        message.GetProperty("guaranteed_until").GetString().ShouldBe("2026-01-31T00:00:00.000000");
        var messageId = message.GetProperty("id").GetString();
        (await GetAsync(server, $"messages/{messageId}", "3.3")).GetProperty("message").GetProperty("id").GetString().ShouldBe(messageId);
        await ErrorAsync(server, HttpMethod.Get, "messages", null, HttpStatusCode.NotFound, "3.2");

        await CallAsync(server, HttpMethod.Delete, $"messages/{messageId}", null, HttpStatusCode.NoContent, "3.3");

        (await GetAsync(server, "messages", "3.3")).GetProperty("messages").GetArrayLength().ShouldBe(0);
        await ErrorAsync(server, HttpMethod.Get, $"messages/{messageId}", null, HttpStatusCode.NotFound, "3.3");
    }

    [Fact]
    public async Task Messages_AnotherProjectsMessage_NotListedNorShownToAMember()
    {
        await using var server = await StartAsync();
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);
        var created = await CallAsync(server, HttpMethod.Post, "/v3/p2/volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
        await WaitForStatusAsync(server, $"/v3/p2/volumes/{created.GetProperty("volume").GetProperty("id").GetString()}", "volume", "error");
        var theirs = (await GetAsync(server, "/v3/p2/messages", "3.3")).GetProperty("messages")[0].GetProperty("id").GetString();
        server.Token = "member";

        (await GetAsync(server, "messages", "3.3")).GetProperty("messages").GetArrayLength().ShouldBe(0);
        await ErrorAsync(server, HttpMethod.Get, $"messages/{theirs}", null, HttpStatusCode.NotFound, "3.3");
        await ErrorAsync(server, HttpMethod.Delete, $"messages/{theirs}", null, HttpStatusCode.NotFound, "3.3");
    }

    [Fact]
    public async Task Create_SizeAsDigitString_AcceptedLikeCinder()
    {
        await using var server = await StartAsync();

        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": "3"}}""", HttpStatusCode.Accepted);

        created.GetProperty("volume").GetProperty("size").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData("""{"volume": """, "Malformed request body")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{}", "'volume' is a required property")]
    [InlineData("""{"volume": 5}""", "Invalid input for field/attribute volume. Value: 5. 5 is not of type 'object'")]
    [InlineData("""{"volume": {"size": 1}, "extra": 1}""", "Additional properties are not allowed ('extra' was unexpected)")]
    [InlineData("""{"volume": {"size": "abc"}}""", "Invalid input for field/attribute size. Value: abc.")]
    [InlineData("""{"volume": {"size": 1.5}}""", "Invalid input for field/attribute size. Value: 1.5.")]
    [InlineData("""{"volume": {"size": true}}""", "Invalid input for field/attribute size")]
    [InlineData("""{"volume": {"size": -1}}""", "Volume size -1 GB is invalid")]
    [InlineData("""{"volume": {"size": 0}}""", "Volume size 0 GB is invalid")]
    [InlineData("""{"volume": {"size": 1048577}}""", "Volume size 1048577 GB is invalid")]
    [InlineData("""{"volume": {"size": 99999999999999999999}}""", "is invalid: it must be an integer from 1 to 1048576")]
    [InlineData("""{"volume": {}}""", "Missing required element 'size'")]
    [InlineData("""{"volume": {"size": 1, "name": 7}}""", "Invalid input for field/attribute name")]
    [InlineData("""{"volume": {"size": 1, "metadata": {"k": 1}}}""", "The value of 'k' is 1, not a string")]
    [InlineData("""{"volume": {"size": 1, "metadata": {"k!": "v"}}}""", "Key 'k!' is invalid")]
    [InlineData("""{"volume": {"size": 1, "metadata": []}}""", "Invalid input for field/attribute metadata")]
    [InlineData("""{"volume": {"size": 1, "snapshot_id": "nope"}}""", "'nope' is not a 'uuid'")]
    [InlineData("""{"volume": {"size": 1, "imageRef": "cirros"}}""", "from an image (imageRef) is not supported")]
    [InlineData("""{"volume": {"size": 1, "multiattach": true}}""", "multiattach parameter has been removed")]
    [InlineData("""{"volume": {"size": 1, "availability_zone": "elsewhere"}}""", "Availability zone 'elsewhere' is invalid")]
    [InlineData("""{"volume": {"size": 1}, "OS-SCH-HNT:scheduler_hints": {"same_host": ["x"]}}""", "does not support scheduler hints")]
    public async Task Create_BadBody_BadRequestAndNoVolume(string body, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "volumes", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_NameTooLong_BadRequest()
    {
        await using var server = await StartAsync();

        var message = await ErrorAsync(server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = new { size = 1, name = new string('n', 256) } }), HttpStatusCode.BadRequest);

        message.ShouldContain("256 characters long, more than 255");
    }

    [Fact]
    public async Task Create_UnknownFieldBefore353_AcceptedAndIgnoredAsCinderDoes()
    {
        await using var server = await StartAsync();

        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1, "'source_volid": "x", "bogus": 1}}""", HttpStatusCode.Accepted);

        var volume = created.GetProperty("volume");
        volume.GetProperty("source_volid").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.TryGetProperty("bogus", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_LegacyClientFields_AcceptedAndIgnored()
    {
        await using var server = await StartAsync();

        var created = await CallAsync(server, HttpMethod.Post, "volumes", """
            {"volume": {"size": 1, "status": "available", "user_id": "u", "project_id": "other", "attach_status": "detached", "imageRef": null, "consistencygroup_id": null}}
            """, HttpStatusCode.Accepted);

        created.GetProperty("volume").GetProperty("status").GetString().ShouldBe("creating");
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var shown = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        shown.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Project);
        shown.GetProperty("user_id").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task Create_UnknownVolumeType_NotFound()
    {
        await using var server = await StartAsync();

        var message = await ErrorAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1, "volume_type": "gold"}}""", HttpStatusCode.NotFound);

        message.ShouldBe("Volume type gold could not be found.");
    }

    [Fact]
    public async Task Create_SourceVolumeOfAnotherProject_NotFound()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");

        var message = await ErrorAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"source_volid": "{{{theirs}}}"}}""", HttpStatusCode.NotFound);

        message.ShouldBe($"Volume {theirs} could not be found.");
    }

    [Fact]
    public async Task Create_FromSnapshot_SizeDefaultsToTheSnapshots()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server, size: 3);
        var snapshot = await CreateSnapshotAsync(server, volume);

        var created = (await CallAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"snapshot_id": "{{{snapshot}}}"}}""", HttpStatusCode.Accepted)).GetProperty("volume");

        created.GetProperty("size").GetInt32().ShouldBe(3);
        created.GetProperty("snapshot_id").GetString().ShouldBe(snapshot);
        await WaitForStatusAsync(server, $"volumes/{created.GetProperty("id").GetString()}", "volume", "available");
    }

    [Fact]
    public async Task Show_DefaultVersion_CinderDetailFieldsWithoutLaterOnes()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, name: "v");

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");

        volume.GetProperty("bootable").GetString().ShouldBe("false");
        volume.GetProperty("encrypted").GetBoolean().ShouldBeFalse();
        volume.GetProperty("multiattach").GetBoolean().ShouldBeFalse();
        volume.GetProperty("attachments").GetArrayLength().ShouldBe(0);
        volume.GetProperty("replication_status").GetString().ShouldBe("disabled");
        volume.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Project);
        volume.GetProperty("os-vol-mig-status-attr:migstat").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("consistencygroup_id").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("snapshot_id").ValueKind.ShouldBe(JsonValueKind.Null);
        var links = volume.GetProperty("links").EnumerateArray().ToDictionary(l => l.GetProperty("rel").GetString()!, l => l.GetProperty("href").GetString()!);
        links["self"].ShouldBe(new Uri(server.Client.BaseAddress!, $"/v3/{Project}/volumes/{id}").ToString());
        links["bookmark"].ShouldBe(new Uri(server.Client.BaseAddress!, $"/{Project}/volumes/{id}").ToString());
        volume.TryGetProperty("group_id", out _).ShouldBeFalse();
        volume.TryGetProperty("provider_id", out _).ShouldBeFalse();
        volume.TryGetProperty("shared_targets", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Show_Version348_AddsGroupProviderAndSharedTargets()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        var volume = (await GetAsync(server, $"volumes/{id}", "3.48")).GetProperty("volume");

        volume.GetProperty("group_id").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("provider_id").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("shared_targets").GetBoolean().ShouldBeFalse();
        volume.GetProperty("service_uuid").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Show_Version370_AddsClusterTypeIdAndConsumesQuota_OnlyFromTheirVersions()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        var before = (await GetAsync(server, $"volumes/{id}", "3.60")).GetProperty("volume");
        var latest = (await GetAsync(server, $"volumes/{id}", "3.70")).GetProperty("volume");

        before.TryGetProperty("cluster_name", out _).ShouldBeFalse();
        before.TryGetProperty("volume_type_id", out _).ShouldBeFalse();
        before.TryGetProperty("consumes_quota", out _).ShouldBeFalse();
        latest.GetProperty("cluster_name").ValueKind.ShouldBe(JsonValueKind.Null);
        latest.GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
        var defaultType = (await GetAsync(server, "types/default")).GetProperty("volume_type");
        latest.GetProperty("volume_type_id").GetString().ShouldBe(defaultType.GetProperty("id").GetString());
        latest.GetProperty("consumes_quota").GetBoolean().ShouldBeTrue();
        latest.TryGetProperty("encryption_key_id", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Show_UnknownOrAnotherProjects_NotFound()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");

        (await ErrorAsync(server, HttpMethod.Get, $"volumes/{theirs}", null, HttpStatusCode.NotFound)).ShouldBe($"Volume {theirs} could not be found.");
        (await ErrorAsync(server, HttpMethod.Get, "volumes/nope", null, HttpStatusCode.NotFound)).ShouldBe("Volume nope could not be found.");
    }

    [Fact]
    public async Task List_Summary_OnlyIdNameLinksOfTheProject()
    {
        await using var server = await StartAsync();
        var mine = await CreateVolumeAsync(server, name: "mine");
        await CreateVolumeAsync(server, project: "p2");

        var list = await GetAsync(server, "volumes");

        var volume = list.GetProperty("volumes").EnumerateArray().Single();
        volume.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "name", "links"]);
        volume.GetProperty("id").GetString().ShouldBe(mine);
        list.TryGetProperty("volumes_links", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task List_Detail_FullViewsFilteredByNameAndStatus()
    {
        await using var server = await StartAsync();
        var a = await CreateVolumeAsync(server, name: "a");
        await CreateVolumeAsync(server, name: "b");

        var byName = await GetAsync(server, "volumes/detail?name=a");
        var byStatus = await GetAsync(server, "volumes/detail?status=error");

        Ids(byName, "volumes").ShouldBe([a]);
        byName.GetProperty("volumes")[0].GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
        Ids(byStatus, "volumes").ShouldBeEmpty();
    }

    [Fact]
    public async Task List_LimitReached_NextLinkLeadsToTheRest()
    {
        await using var server = await StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateVolumeAsync(server, name: $"v{i}"));
        }

        var first = await GetAsync(server, "volumes?limit=2&sort=name:asc");
        var next = first.GetProperty("volumes_links")[0];
        next.GetProperty("rel").GetString().ShouldBe("next");
        var href = new Uri(next.GetProperty("href").GetString()!);
        var second = await GetAsync(server, href.PathAndQuery);

        Ids(first, "volumes").ShouldBe([ids[0], ids[1]]);
        href.Query.ShouldContain($"marker={ids[1]}");
        Ids(second, "volumes").ShouldBe([ids[2]]);
        second.TryGetProperty("volumes_links", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task List_SortDescendingByName_Ordered()
    {
        await using var server = await StartAsync();
        var a = await CreateVolumeAsync(server, name: "a");
        var b = await CreateVolumeAsync(server, name: "b");

        Ids(await GetAsync(server, "volumes?sort=name:desc"), "volumes").ShouldBe([b, a]);
        Ids(await GetAsync(server, "volumes?sort_key=name&sort_dir=asc"), "volumes").ShouldBe([a, b]);
    }

    [Theory]
    [InlineData("limit=x", "limit param must be an integer")]
    [InlineData("limit=-1", "limit param must be positive")]
    [InlineData("marker=nope", "marker [nope] not found")]
    [InlineData("sort=color", "Invalid sort key 'color'")]
    [InlineData("sort=name:up", "Unknown sort direction, must be 'desc' or 'asc'")]
    [InlineData("sort=name&sort_key=id", "cannot be used with the 'sort' parameter")]
    [InlineData("color=red", "Invalid filters color are found in query options")]
    public async Task List_BadParameters_BadRequest(string query, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, $"volumes/detail?{query}", null, HttpStatusCode.BadRequest)).ShouldContain(message);
    }

    [Fact]
    public async Task List_AllTenants_IgnoredAndLimitZeroEmpty()
    {
        await using var server = await StartAsync();
        var mine = await CreateVolumeAsync(server);

        Ids(await GetAsync(server, "volumes?all_tenants=1"), "volumes").ShouldBe([mine]);
        Ids(await GetAsync(server, "volumes?limit=0"), "volumes").ShouldBeEmpty();
    }

    [Fact]
    public async Task Update_NameDescriptionMetadata_ChangedAndShown()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, name: "old");

        var updated = (await CallAsync(server, HttpMethod.Put, $"volumes/{id}", """
            {"volume": {"name": "new", "description": "about", "metadata": {"a": "b"}}}
            """, HttpStatusCode.OK)).GetProperty("volume");

        updated.GetProperty("name").GetString().ShouldBe("new");
        var shown = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        shown.GetProperty("description").GetString().ShouldBe("about");
        shown.GetProperty("metadata").GetProperty("a").GetString().ShouldBe("b");
    }

    [Theory]
    [InlineData("""{"volume": {"size": 5}}""", "Additional properties are not allowed ('size' was unexpected)")]
    [InlineData("""{"volume": {"metadata": null}}""", "Invalid input for field/attribute metadata")]
    [InlineData("""{"name": "x"}""", "Additional properties are not allowed ('name' was unexpected)")]
    [InlineData("""{"volume": {"description": 1}}""", "Invalid input for field/attribute description")]
    public async Task Update_BadBody_BadRequestAndUnchanged(string body, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, name: "keep");

        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{id}", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("name").GetString().ShouldBe("keep");
    }

    [Fact]
    public async Task Update_AnotherProjects_NotFoundAndUnchanged()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, name: "theirs", project: "p2");

        await ErrorAsync(server, HttpMethod.Put, $"volumes/{theirs}", """{"volume": {"name": "mine"}}""", HttpStatusCode.NotFound);

        (await GetAsync(server, $"/v3/p2/volumes/{theirs}")).GetProperty("volume").GetProperty("name").GetString().ShouldBe("theirs");
    }

    [Fact]
    public async Task Delete_Available_AcceptedThenGone()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        var body = await CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);

        body.ValueKind.ShouldBe(JsonValueKind.Undefined);
        await WaitForGoneAsync(server, $"volumes/{id}");
    }

    [Fact]
    public async Task Delete_WithSnapshot_BadRequestAndKept()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CreateSnapshotAsync(server, id);

        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.BadRequest)).ShouldContain("dependent snapshots");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Theory]
    [InlineData("?cascade=true", "cascade=true")]
    [InlineData("?force=true", "force=true")]
    public async Task Delete_CascadeOrForce_BadRequestAndKept(string query, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{id}{query}", null, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Delete_UnknownOrAnotherProjects_NotFoundAndKept()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");

        await ErrorAsync(server, HttpMethod.Delete, "volumes/nope", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Delete, $"volumes/{theirs}", null, HttpStatusCode.NotFound);

        (await GetAsync(server, $"/v3/p2/volumes/{theirs}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task List_ProjectLessUrl_ServesTheProjectOfTheHeader()
    {
        await using var server = await StartAsync();
        var mine = await CreateVolumeAsync(server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/volumes/detail");
        request.Headers.Add("X-Project-Id", Project);

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Ids(await ReadJsonAsync(response), "volumes").ShouldBe([mine]);
    }

    [Fact]
    public async Task UnknownPath_CinderNotFoundBody()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, "nothing/here", null, HttpStatusCode.NotFound)).ShouldContain("nothing/here");
    }

    [Fact]
    public async Task Show_EmptyId_NotFoundAsCinder()
    {
        await using var server = await StartAsync();
        await CreateVolumeAsync(server);

        await ErrorAsync(server, HttpMethod.Get, "volumes/", null, System.Net.HttpStatusCode.NotFound);
    }
}
