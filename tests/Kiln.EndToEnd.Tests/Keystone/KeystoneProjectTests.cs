using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>
/// With real Keystone tokens: each project sees its own volumes, Cinder's default policy decides by
/// the token's roles, and an admin reaches every project's volumes.
/// </summary>
[Collection(KeystoneCloudGroup.Name)]
public sealed class KeystoneProjectTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task VolumeCreate_MemberOfA_AvailableOwnedByTheKeystoneUserWithoutHost()
    {
        var token = await cloud.TokenAsync(cloud.MemberA);
        using var http = cloud.Client(token);
        var volumes = new VolumeApi(http, token.ProjectId);

        var (status, id) = await volumes.CreateAsync(1, "owned-by-member-a");

        status.ShouldBe(HttpStatusCode.Accepted);
        await volumes.WaitForStatusAsync(id!, "available", TimeSpan.FromSeconds(30));
        var volume = (await volumes.ShowAsync(id!))!.Value;
        volume.GetProperty("user_id").GetString().ShouldBe(cloud.MemberA.UserId);
        volume.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(cloud.MemberA.ProjectId);
        volume.TryGetProperty("os-vol-host-attr:host", out _).ShouldBeFalse("the host is for admins only");
        (await volumes.ListAsync()).Select(v => v.GetProperty("id").GetString()).ShouldContain(id);
    }

    [Fact]
    public async Task VolumeList_MemberOfBOnTheUrlOfA_400NamingBothProjects()
    {
        using var http = cloud.Client(await cloud.TokenAsync(cloud.MemberB));

        using var response = await http.GetAsync($"/v3/{cloud.MemberA.ProjectId}/volumes");

        await response.ShouldBeFaultAsync(HttpStatusCode.BadRequest, "badRequest",
            $"Malformed request URL: URL's project_id '{cloud.MemberA.ProjectId}' doesn't match Context's project_id '{cloud.MemberB.ProjectId}'");
    }

    [Fact]
    public async Task VolumeShowDeleteAndList_MemberOfBOnOwnUrl_NeverReachTheVolumeOfA()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "hidden-from-b");
        using var asB = cloud.Client(await cloud.TokenAsync(cloud.MemberB));
        var b = cloud.MemberB.ProjectId;

        using var show = await asB.GetAsync($"/v3/{b}/volumes/{id}");
        using var delete = await asB.DeleteAsync($"/v3/{b}/volumes/{id}");
        // all_tenants is an administrator's: for anyone else it is ignored.
        var listOfB = await asB.GetFromJsonAsync<JsonElement>($"/v3/{b}/volumes?all_tenants=1");

        await show.ShouldBeFaultAsync(HttpStatusCode.NotFound, "itemNotFound", $"Volume {id} could not be found.");
        await delete.ShouldBeFaultAsync(HttpStatusCode.NotFound, "itemNotFound", $"Volume {id} could not be found.");
        listOfB.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ShouldNotContain(id);
        (await cloud.VolumeStatusAsync(cloud.MemberA, id)).ShouldBe("available");
    }

    [Fact]
    public async Task ResetStatus_MemberOfA_403AndTheVolumeUnchanged()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "member-cannot-reset");
        using var http = cloud.Client(await cloud.TokenAsync(cloud.MemberA));

        using var response = await ResetStatusAsync(http, cloud.MemberA.ProjectId, id, "error");

        await response.ShouldBeFaultAsync(HttpStatusCode.Forbidden, "forbidden",
            "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.");
        (await cloud.VolumeStatusAsync(cloud.MemberA, id)).ShouldBe("available");
    }

    [Fact]
    public async Task ServiceList_MemberOfA_403()
    {
        using var http = cloud.Client(await cloud.TokenAsync(cloud.MemberA));

        using var response = await http.GetAsync($"/v3/{cloud.MemberA.ProjectId}/os-services");

        await response.ShouldBeFaultAsync(HttpStatusCode.Forbidden, "forbidden", "Policy doesn't allow volume_extension:services:index to be performed.");
    }

    [Fact]
    public async Task TypeCreate_MemberOfA_403AndNoTypeCreated()
    {
        using var http = cloud.Client(await cloud.TokenAsync(cloud.MemberA));

        using var response = await http.PostAsJsonAsync($"/v3/{cloud.MemberA.ProjectId}/types", new { volume_type = new { name = "made-by-member" } });

        await response.ShouldBeFaultAsync(HttpStatusCode.Forbidden, "forbidden", "Policy doesn't allow volume_extension:type_create to be performed.");
        using var asAdmin = cloud.Client(await cloud.TokenAsync(cloud.Admin));
        var types = await asAdmin.GetFromJsonAsync<JsonElement>($"/v3/{cloud.Admin.ProjectId}/types");
        types.GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldNotContain("made-by-member");
    }

    [Fact]
    public async Task ResetStatus_AdminThroughTheAdminProject_202AndTheMemberSeesTheNewStatus()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "reset-by-admin");
        using var asAdmin = cloud.Client(await cloud.TokenAsync(cloud.Admin));

        using var response = await ResetStatusAsync(asAdmin, cloud.Admin.ProjectId, id, "error");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await cloud.VolumeStatusAsync(cloud.MemberA, id)).ShouldBe("error");
        var shown = await asAdmin.GetFromJsonAsync<JsonElement>($"/v3/{cloud.Admin.ProjectId}/volumes/{id}");
        shown.GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString().ShouldBe($"{KeystoneCloud.Host}@fault#fault");
    }

    [Fact]
    public async Task VolumeList_AdminWithAllTenants_ListsTheVolumeOfAWhichTheAdminProjectAloneDoesNotHave()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "listed-to-admin");
        using var asAdmin = cloud.Client(await cloud.TokenAsync(cloud.Admin));
        var admin = cloud.Admin.ProjectId;

        var all = await asAdmin.GetFromJsonAsync<JsonElement>($"/v3/{admin}/volumes/detail?all_tenants=1");
        var own = await asAdmin.GetFromJsonAsync<JsonElement>($"/v3/{admin}/volumes/detail");

        var listed = all.GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);
        listed.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(cloud.MemberA.ProjectId);
        own.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ShouldNotContain(id);
    }

    [Fact]
    public async Task VolumeListAndResetStatus_ReaderOfA_SeesTheVolumesOfAButIsRefusedTheAdminAction()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "read-by-reader");
        var token = await cloud.TokenAsync(cloud.ReaderA);
        using var http = cloud.Client(token);

        var listed = await new VolumeApi(http, token.ProjectId).ListAsync();
        using var reset = await ResetStatusAsync(http, token.ProjectId, id, "error");

        listed.Select(v => v.GetProperty("id").GetString()).ShouldContain(id);
        await reset.ShouldBeFaultAsync(HttpStatusCode.Forbidden, "forbidden",
            "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.");
    }

    [Fact]
    public async Task QuotaShow_MemberOfA_SeesTheUsageOfAButNotTheQuotasOfB()
    {
        await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "counted-in-quota");
        using var http = cloud.Client(await cloud.TokenAsync(cloud.MemberA));
        var a = cloud.MemberA.ProjectId;

        var own = await http.GetFromJsonAsync<JsonElement>($"/v3/{a}/os-quota-sets/{a}?usage=true");
        using var other = await http.GetAsync($"/v3/{a}/os-quota-sets/{cloud.MemberB.ProjectId}");

        var volumes = own.GetProperty("quota_set").GetProperty("volumes");
        volumes.GetProperty("limit").GetInt32().ShouldBe(50);
        volumes.GetProperty("in_use").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        await other.ShouldBeFaultAsync(HttpStatusCode.Forbidden, "forbidden", "Policy doesn't allow volume_extension:quotas:show to be performed.");
    }

    [Fact]
    public async Task VolumeCreate_MemberOfBWhoseQuotaTheAdminSetToZero_413AndNothingCreated()
    {
        using var asAdmin = cloud.Client(await cloud.TokenAsync(cloud.Admin));
        var quotaOfB = $"/v3/{cloud.Admin.ProjectId}/os-quota-sets/{cloud.MemberB.ProjectId}";
        using (var set = await asAdmin.PutAsJsonAsync(quotaOfB, new { quota_set = new { volumes = 0 } }))
        {
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        }

        try
        {
            var token = await cloud.TokenAsync(cloud.MemberB);
            using var asB = cloud.Client(token);

            using var create = await asB.PostAsJsonAsync($"/v3/{token.ProjectId}/volumes", new { volume = new { size = 1, name = "over-quota" } });

            await create.ShouldBeFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit", "Maximum number of volumes allowed (0) exceeded for quota 'volumes'.");
            var listed = await new VolumeApi(asB, token.ProjectId).ListAsync();
            listed.Select(v => v.GetProperty("name").GetString()).ShouldNotContain("over-quota");
        }
        finally
        {
            // Back on the defaults, for the other tests of B.
            using var reset = await asAdmin.DeleteAsync(quotaOfB);
            reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static Task<HttpResponseMessage> ResetStatusAsync(HttpClient http, string project, string id, string status) =>
        http.PostAsJsonAsync($"/v3/{project}/volumes/{id}/action", new Dictionary<string, object> { ["os-reset_status"] = new { status } });
}
