using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>
/// The stock clients (python-cinderclient, openstackclient) and the kiln CLI log in to a real Keystone
/// with a user's password, find Kiln in its catalog, and drive it with the token.
/// </summary>
[Collection(KeystoneCloudGroup.Name)]
public sealed class KeystoneClientTests(KeystoneCloud cloud)
{
    private const int NotAuthorized = 8;

    [Fact]
    public async Task CinderClient_MemberOfAWithKeystoneCredentials_CreatesListsShowsAndDeletes()
    {
        var cinder = CinderCli.WithKeystone(cloud.MemberA, "3.49");

        // Each cinder run is a Python start-up and a login (2-5 s): the waits are polled over HTTP.
        var created = (await cinder.OkAsync("create", "--name", "by-cinderclient", "1")).Properties;
        await cloud.WaitForVolumeStatusAsync(cloud.MemberA, created["id"], "available");
        var listed = (await cinder.OkAsync("list")).Table;
        var shown = (await cinder.OkAsync("show", created["id"])).Properties;
        await cinder.OkAsync("delete", created["id"]);
        await cloud.WaitVolumeGoneAsync(cloud.MemberA, created["id"]);

        created["user_id"].ShouldBe(cloud.MemberA.UserId);
        listed.ShouldContain(r => r["ID"] == created["id"] && r["Name"] == "by-cinderclient" && r["Status"] == "available");
        shown["name"].ShouldBe("by-cinderclient");
        shown["status"].ShouldBe("available");
        shown["user_id"].ShouldBe(cloud.MemberA.UserId);
        shown["os-vol-tenant-attr:tenant_id"].ShouldBe(cloud.MemberA.ProjectId);
        shown.ShouldNotContainKey("os-vol-host-attr:host");
    }

    [Fact]
    public async Task OpenStackClient_MemberOfA_ListsShowsAndDeletesAVolume()
    {
        // openstackclient's volume create wants an image service (Kiln has none), so the volume is made over HTTP.
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "by-openstackclient");

        var list = (await OpenStackCli.RunAsync(cloud.MemberA, "volume", "list", "-f", "json")).ShouldSucceed();
        var show = (await OpenStackCli.RunAsync(cloud.MemberA, "volume", "show", id, "-f", "json")).ShouldSucceed();
        (await OpenStackCli.RunAsync(cloud.MemberA, "volume", "delete", id)).ShouldSucceed();
        await cloud.WaitVolumeGoneAsync(cloud.MemberA, id);

        var listed = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(v => v.GetProperty("ID").GetString() == id);
        listed.GetProperty("Name").GetString().ShouldBe("by-openstackclient");
        listed.GetProperty("Status").GetString().ShouldBe("available");
        var shown = JsonDocument.Parse(show.Stdout).RootElement;
        shown.GetProperty("name").GetString().ShouldBe("by-openstackclient");
        shown.GetProperty("status").GetString().ShouldBe("available");
        shown.GetProperty("user_id").GetString().ShouldBe(cloud.MemberA.UserId);
    }

    [Fact]
    public async Task KilnVolumeList_MemberOfA_ListsTheVolumesOfAWithoutHost()
    {
        var id = await cloud.CreateAvailableVolumeAsync(cloud.MemberA, "by-kiln-cli");

        var volumes = (await KilnCli.RunAsync(cloud.MemberA, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        var volume = volumes.EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);
        volume.GetProperty("name").GetString().ShouldBe("by-kiln-cli");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("host").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task KilnServiceList_Admin_ShowsTheBackendWithItsDriverState()
    {
        var services = (await KilnCli.RunAsync(cloud.Admin, "service", "list", "-o", "json")).ShouldSucceedWithJson();

        var backend = services.EnumerateArray().Single(s => s.GetProperty("host").GetString() == $"{KeystoneCloud.Host}@fault");
        backend.GetProperty("binary").GetString().ShouldBe("cinder-volume");
        backend.GetProperty("state").GetString().ShouldBe("up");
        backend.GetProperty("driver_state").GetString().ShouldBe("ready");
    }

    [Fact]
    public async Task KilnServiceList_MemberOfA_Exit8PolicyDenies()
    {
        var result = await KilnCli.RunAsync(cloud.MemberA, "service", "list");

        result.ShouldFailWithOneLine(NotAuthorized)
            .ShouldBe("not allowed by policy: Policy doesn't allow volume_extension:services:index to be performed.");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task KilnVolumeList_WrongPassword_Exit8KeystoneRefusedWithoutThePassword()
    {
        const string wrong = "not-the-password-of-member-a";

        var result = await KilnCli.RunAsync(cloud.MemberA.WithPassword(wrong), "volume", "list");

        var message = result.ShouldFailWithOneLine(NotAuthorized);
        message.ShouldStartWith("Keystone refused the credentials: The request you have made requires authentication. (password of user 'member-a' in domain 'Default' for project 'demo-a'");
        message.ShouldNotContain(wrong);
    }
}
