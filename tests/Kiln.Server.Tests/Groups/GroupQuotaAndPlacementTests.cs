using System.Net;
using System.Text.Json;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

/// <summary>Cinder's <c>groups</c> quota, group specs in placement, and volume types that a group keeps in use.</summary>
public sealed class GroupQuotaAndPlacementTests
{
    [Fact]
    public async Task CreateGroup_OverTheGroupsQuota_OverLimitAndUsageCountsGroups()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var groupType = await CreateGroupTypeAsync(server);
        await SetQuotasAsync(server, Project, """ "groups": 1 """);
        await CreateGroupAsync(server, groupType, volumeType);

        using var response = await SendAsync(server, HttpMethod.Post, "groups", Group(groupType, volumeType), GroupVersion);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, text);
        JsonDocument.Parse(text).RootElement.GetProperty("overLimit").GetProperty("message").GetString().ShouldBe("Maximum number of groups allowed (1) exceeded");
        var usage = (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set").GetProperty("groups");
        usage.GetProperty("in_use").GetInt32().ShouldBe(1);
        usage.GetProperty("limit").GetInt32().ShouldBe(1);
        (await GetGroupAsync(server, "groups")).GetProperty("groups").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task DeleteVolumeType_AGroupListsIt_BadRequestUntilTheGroupIsGone()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);

        (await ErrorAsync(server, HttpMethod.Delete, $"types/{volumeType}", null, HttpStatusCode.BadRequest)).ShouldBe("Target volume type is still in use.");

        await DeleteGroupAsync(server, group, deleteVolumes: false);
        await WaitForGroupGoneAsync(server, $"groups/{group}");
        await CallAsync(server, HttpMethod.Delete, $"types/{volumeType}", null, HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("<is> True", "error")]
    [InlineData("<is> False", "available")]
    public async Task CreateGroup_GroupSpecsMatchedAgainstPoolCapabilities(string consistent, string status)
    {
        // The fault pool says consistent_group_snapshot_enabled False here: it takes a group snapshot's snapshots one by one.
        await using var server = await VolumeApi.StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var typeBody = JsonSerializer.Serialize(new { group_type = new { name = $"gt-{Guid.NewGuid():N}", group_specs = new Dictionary<string, string> { ["consistent_group_snapshot_enabled"] = consistent } } });
        var groupType = (await CallAsync(server, HttpMethod.Post, "group_types", typeBody, HttpStatusCode.Accepted, GroupVersion)).GetProperty("group_type").GetProperty("id").GetString()!;

        var id = (await CallAsync(server, HttpMethod.Post, "groups", Group(groupType, volumeType), HttpStatusCode.Accepted, GroupVersion)).GetProperty("group").GetProperty("id").GetString()!;

        var group = await WaitForGroupAsync(server, $"groups/{id}", "group", status);
        group.GetProperty("status").GetString().ShouldBe(status);
    }

    private static string Group(string groupType, string volumeType) =>
        JsonSerializer.Serialize(new { group = new { name = "g", group_type = groupType, volume_types = new[] { volumeType } } });
}
