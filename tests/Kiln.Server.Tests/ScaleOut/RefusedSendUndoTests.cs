using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Api;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// Every request that claims a resource and then sends a message, with the bus refusing the send as a
/// broker out of reach does: 503 serviceUnavailable with Retry-After, and the claim undone — rows the
/// request added are gone, rows it moved are back in their status — so nothing waits in a transitional
/// status for a message never queued. The same request is accepted once the bus takes messages again,
/// which shows the statuses were put back as they were (not merely to something else).
/// </summary>
public sealed class RefusedSendUndoTests(RefusedSendUndoTests.Server fixture) : IClassFixture<RefusedSendUndoTests.Server>
{
    private const string RevertVersion = "3.40";

    private TestServer Kiln => fixture.Kiln;

    [Fact]
    public async Task CascadeDelete_SendRefused_VolumeAndSnapshotsBackInTheirStatus()
    {
        var id = await CreateVolumeAsync(Kiln);
        var available = await CreateSnapshotAsync(Kiln, id);
        var failed = await CreateSnapshotAsync(Kiln, id);
        await CallAsync(Kiln, HttpMethod.Post, $"snapshots/{failed}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        await RefusedAsync(HttpMethod.Delete, $"volumes/{id}?cascade=true", null);

        (await StatusAsync($"volumes/{id}", "volume")).ShouldBe("available");
        (await StatusAsync($"snapshots/{available}", "snapshot")).ShouldBe("available");
        (await StatusAsync($"snapshots/{failed}", "snapshot")).ShouldBe("error");
        await CallAsync(Kiln, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(Kiln, $"volumes/{id}");
    }

    [Fact]
    public async Task Revert_SendRefused_VolumeAndSnapshotAvailable()
    {
        var id = await CreateVolumeAsync(Kiln);
        var snapshot = await CreateSnapshotAsync(Kiln, id);
        var revert = $$$"""{"revert": {"snapshot_id": "{{{snapshot}}}"}}""";

        await RefusedAsync(HttpMethod.Post, $"volumes/{id}/action", revert, RevertVersion);

        (await StatusAsync($"volumes/{id}", "volume")).ShouldBe("available");
        (await StatusAsync($"snapshots/{snapshot}", "snapshot")).ShouldBe("available");
        await CallAsync(Kiln, HttpMethod.Post, $"volumes/{id}/action", revert, HttpStatusCode.Accepted, RevertVersion);
        await WaitForStatusAsync(Kiln, $"volumes/{id}", "volume", "available");
        await WaitForStatusAsync(Kiln, $"snapshots/{snapshot}", "snapshot", "available");
    }

    [Fact]
    public async Task Migrate_SendRefused_VolumeAvailableWhereItWasWithNoMigrationStatus()
    {
        // The default type names no backend: the volume may move either way.
        var id = await CreateVolumeAsync(Kiln);
        var from = (await GetAsync(Kiln, $"volumes/{id}")).GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString();
        var to = from == "node@fast#fast" ? "node@slow" : "node@fast";
        var migrate = JsonSerializer.Serialize(new Dictionary<string, object> { ["os-migrate_volume"] = new { host = to, force_host_copy = false, lock_volume = false } });

        await RefusedAsync(HttpMethod.Post, $"volumes/{id}/action", migrate);

        var volume = (await GetAsync(Kiln, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("os-vol-mig-status-attr:migstat").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("os-vol-host-attr:host").GetString().ShouldBe(from);
        await CallAsync(Kiln, HttpMethod.Post, $"volumes/{id}/action", migrate, HttpStatusCode.Accepted);
        (await MigratedAsync(id)).GetProperty("os-vol-host-attr:host").GetString()!.ShouldStartWith(to + "#");
    }

    [Fact]
    public async Task RetypeWithMigration_SendRefused_VolumeAvailableWithItsTypeAndNoMigrationStatus()
    {
        var id = await CreateVolumeAsync(Kiln, type: fixture.OnFast);
        var retype = """{"os-retype": {"new_type": "on-slow", "migration_policy": "on-demand"}}""";

        await RefusedAsync(HttpMethod.Post, $"volumes/{id}/action", retype);

        var volume = (await GetAsync(Kiln, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("volume_type").GetString().ShouldBe("on-fast");
        volume.GetProperty("os-vol-mig-status-attr:migstat").ValueKind.ShouldBe(JsonValueKind.Null);
        await CallAsync(Kiln, HttpMethod.Post, $"volumes/{id}/action", retype, HttpStatusCode.Accepted);
        (await MigratedAsync(id)).GetProperty("volume_type").GetString().ShouldBe("on-slow");
    }

    [Fact]
    public async Task CreateGroup_SendRefused_NoGroupLeft()
    {
        var before = await GroupIdsAsync();
        var body = JsonSerializer.Serialize(new { group = new { name = "refused", group_type = fixture.GroupType, volume_types = new[] { fixture.GroupVolumeType } } });

        await RefusedAsync(HttpMethod.Post, "groups", body, GroupVersion);

        (await GroupIdsAsync()).ShouldBe(before, ignoreOrder: true);
        var id = await CreateGroupAsync(Kiln, fixture.GroupType, fixture.GroupVolumeType);
        (await GroupIdsAsync()).ShouldContain(id);
    }

    [Fact]
    public async Task CreateGroupFromSource_SendRefused_NoGroupAndNoVolumeLeft()
    {
        var (group, _) = await GroupWithMemberAsync();
        var groupSnapshot = await CreateGroupSnapshotAsync(Kiln, group);
        var groups = await GroupIdsAsync();
        var volumes = Ids(await GetAsync(Kiln, "volumes"), "volumes");
        var body = $$$"""{"create-from-src": {"group_snapshot_id": "{{{groupSnapshot}}}", "name": "refused"}}""";

        await RefusedAsync(HttpMethod.Post, "groups/action", body, GroupVersion);

        (await GroupIdsAsync()).ShouldBe(groups, ignoreOrder: true);
        Ids(await GetAsync(Kiln, "volumes"), "volumes").ShouldBe(volumes, ignoreOrder: true);
        var created = await CallAsync(Kiln, HttpMethod.Post, "groups/action", body, HttpStatusCode.Accepted, GroupVersion);
        await WaitForGroupAsync(Kiln, $"groups/{created.GetProperty("group").GetProperty("id").GetString()}", "group", "available");
    }

    [Fact]
    public async Task DeleteGroup_SendRefused_GroupAndVolumesBackInTheirStatus()
    {
        var (group, member) = await GroupWithMemberAsync();
        await CallAsync(Kiln, HttpMethod.Post, $"volumes/{member}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);
        var delete = """{"delete": {"delete-volumes": true}}""";

        await RefusedAsync(HttpMethod.Post, $"groups/{group}/action", delete, GroupVersion);

        (await GetGroupAsync(Kiln, $"groups/{group}")).GetProperty("group").GetProperty("status").GetString().ShouldBe("available");
        (await StatusAsync($"volumes/{member}", "volume")).ShouldBe("error");
        await CallAsync(Kiln, HttpMethod.Post, $"groups/{group}/action", delete, HttpStatusCode.Accepted, GroupVersion);
        await WaitForGroupGoneAsync(Kiln, $"groups/{group}");
    }

    [Fact]
    public async Task CreateGroupSnapshot_SendRefused_NoGroupSnapshotAndNoSnapshotLeft()
    {
        var (group, member) = await GroupWithMemberAsync();
        var body = JsonSerializer.Serialize(new { group_snapshot = new { group_id = group, name = "refused" } });

        await RefusedAsync(HttpMethod.Post, "group_snapshots", body, GroupVersion);

        GroupSnapshotsOf(await GetGroupAsync(Kiln, "group_snapshots"), group).ShouldBeEmpty();
        (await GetAsync(Kiln, "snapshots")).GetProperty("snapshots").EnumerateArray().ShouldNotContain(s => s.GetProperty("volume_id").GetString() == member);
        (await StatusAsync($"volumes/{member}", "volume")).ShouldBe("available");
        await CreateGroupSnapshotAsync(Kiln, group);
    }

    [Fact]
    public async Task DeleteGroupSnapshot_SendRefused_GroupSnapshotAndSnapshotsBackInTheirStatus()
    {
        var (group, member) = await GroupWithMemberAsync();
        var groupSnapshot = await CreateGroupSnapshotAsync(Kiln, group);
        var snapshot = (await GetAsync(Kiln, "snapshots")).GetProperty("snapshots").EnumerateArray().Single(s => s.GetProperty("volume_id").GetString() == member)
            .GetProperty("id").GetString()!;
        await CallAsync(Kiln, HttpMethod.Post, $"snapshots/{snapshot}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        await RefusedAsync(HttpMethod.Delete, $"group_snapshots/{groupSnapshot}", null, GroupVersion);

        (await GetGroupAsync(Kiln, $"group_snapshots/{groupSnapshot}")).GetProperty("group_snapshot").GetProperty("status").GetString().ShouldBe("available");
        (await StatusAsync($"snapshots/{snapshot}", "snapshot")).ShouldBe("error");
        await CallAsync(Kiln, HttpMethod.Delete, $"group_snapshots/{groupSnapshot}", null, HttpStatusCode.Accepted, GroupVersion);
        await WaitForGroupGoneAsync(Kiln, $"group_snapshots/{groupSnapshot}");
    }

    /// <summary>Sends the request with the bus refusing: 503 serviceUnavailable naming the message service, with Retry-After.</summary>
    private async Task RefusedAsync(HttpMethod method, string path, string? body, string? version = null)
    {
        fixture.Bus.Refusing = true;
        try
        {
            using var response = await SendAsync(Kiln, method, path, body, version);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, $"{method} {path}: {text}");
            JsonDocument.Parse(text).RootElement.GetProperty("serviceUnavailable").GetProperty("message").GetString().ShouldBe(CinderFaults.MessagingUnavailableMessage);
            response.Headers.RetryAfter.ShouldNotBeNull();
        }
        finally
        {
            fixture.Bus.Refusing = false;
        }
    }

    private async Task<string?> StatusAsync(string path, string resource) =>
        (await GetAsync(Kiln, path)).GetProperty(resource).GetProperty("status").GetString();

    private async Task<string[]> GroupIdsAsync() => Ids(await GetGroupAsync(Kiln, "groups"), "groups");

    private static IEnumerable<JsonElement> GroupSnapshotsOf(JsonElement list, string group) =>
        list.GetProperty("group_snapshots").EnumerateArray().Where(s => s.TryGetProperty("group_id", out var g) && g.GetString() == group);

    private async Task<(string Group, string Member)> GroupWithMemberAsync()
    {
        var group = await CreateGroupAsync(Kiln, fixture.GroupType, fixture.GroupVolumeType);
        return (group, await CreateMemberAsync(Kiln, group, fixture.GroupVolumeType));
    }

    private async Task<JsonElement> MigratedAsync(string id)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var volume = (await GetAsync(Kiln, $"volumes/{id}")).GetProperty("volume");
            if (volume.GetProperty("os-vol-mig-status-attr:migstat").GetString() is "success" or "error")
            {
                volume.GetProperty("os-vol-mig-status-attr:migstat").GetString().ShouldBe("success");
                return volume;
            }

            System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"volume {id} stays {volume}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>One Kiln with two ready fault backends (<c>fast</c>, <c>slow</c>) and a bus the tests make refuse sends.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private RefusingBus? bus;
        private TestServer? kiln;

        internal TestServer Kiln => kiln!;

        internal RefusingBus Bus => bus!;

        /// <summary>A volume type on the <c>fast</c> backend (on-fast); <c>on-slow</c> names the other.</summary>
        public string OnFast { get; private set; } = "on-fast";

        public string GroupType { get; private set; } = string.Empty;

        /// <summary>A volume type that groups are made of, limited to <c>fast</c> (groups need no second backend).</summary>
        public string GroupVolumeType { get; private set; } = string.Empty;

        public async ValueTask InitializeAsync()
        {
            kiln = await TestServer.StartAsync("fast,slow", OneBackend + """

                [slow]
                volume_driver = fault
                fault_control_file = $DIR/slow.json
                """, configureServices: s => RefusingBus.Install(s, b => bus = b));
            await WaitForBackendAsync(kiln, "node@fast", BackendState.Ready);
            await WaitForBackendAsync(kiln, "node@slow", BackendState.Ready);
            await CallAsync(kiln, HttpMethod.Post, "types", """{"volume_type": {"name": "on-fast", "extra_specs": {"volume_backend_name": "fast"}}}""", HttpStatusCode.OK);
            await CallAsync(kiln, HttpMethod.Post, "types", """{"volume_type": {"name": "on-slow", "extra_specs": {"volume_backend_name": "slow"}}}""", HttpStatusCode.OK);
            GroupVolumeType = (await CallAsync(kiln, HttpMethod.Post, "types", """{"volume_type": {"name": "group-fast", "extra_specs": {"volume_backend_name": "fast"}}}""", HttpStatusCode.OK))
                .GetProperty("volume_type").GetProperty("id").GetString()!;
            GroupType = await CreateGroupTypeAsync(kiln);

            // The tests together make more volumes, snapshots and groups than the default quotas allow.
            await QuotaApi.SetQuotasAsync(kiln, Project, "\"volumes\": -1, \"snapshots\": -1, \"groups\": -1, \"gigabytes\": -1");
        }

        public async ValueTask DisposeAsync()
        {
            if (kiln is not null)
            {
                await kiln.DisposeAsync();
            }
        }
    }
}
