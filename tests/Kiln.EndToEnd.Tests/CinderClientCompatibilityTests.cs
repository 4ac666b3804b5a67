using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>The stock OpenStack <c>cinder</c> command-line client drives a running <c>kiln serve</c>.</summary>
public sealed class CinderClientCompatibilityTests : IDisposable
{
    private const string Host = "cli-node";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-cinder-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task CinderClient_EverydayCommands_WorkAgainstKiln()
    {
        CinderCli.IsInstalled.ShouldBeTrue("python3-cinderclient must be installed (build.sh installs it)");
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = fast, slow

            [fast]
            volume_driver = fault
            volume_backend_name = fast

            [slow]
            volume_driver = fault
            volume_backend_name = slow
            fault_capacity_gb = 50
            """);
        await using var kiln = KilnProcess.Start(config, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);
        await client.WaitForStateAsync($"{Host}@fast", "ready", TimeSpan.FromSeconds(10));
        await client.WaitForStateAsync($"{Host}@slow", "ready", TimeSpan.FromSeconds(10));
        var versions = await client.Http.GetFromJsonAsync<JsonElement>("/v3/");
        var cinder = new CinderCli(address, versions.GetProperty("versions")[0].GetProperty("version").GetString()!);

        var type = await cinder.OkAsync("type-create", "gold");
        type.Table.ShouldHaveSingleItem()["Name"].ShouldBe("gold");
        await cinder.OkAsync("type-key", "gold", "set", "volume_backend_name=slow");
        (await cinder.OkAsync("extra-specs-list")).Output.ShouldContain("volume_backend_name");

        var typed = (await cinder.OkAsync("create", "--volume-type", "gold", "--name", "typed", "1")).Properties;
        CinderCli.Uuid().IsMatch(typed["id"]).ShouldBeTrue();
        var plain = (await cinder.OkAsync("create", "--name", "plain", "2")).Properties;
        await cinder.WaitForStatusAsync("show", typed["id"], "available");
        await cinder.WaitForStatusAsync("show", plain["id"], "available");

        var shown = (await cinder.OkAsync("show", typed["id"])).Properties;
        shown["name"].ShouldBe("typed");
        shown["volume_type"].ShouldBe("gold");
        shown["os-vol-host-attr:host"].ShouldBe($"{Host}@slow#slow");
        shown["size"].ShouldBe("1");

        var list = (await cinder.OkAsync("list")).Table;
        list.Select(r => r["Name"]).Order().ShouldBe(["plain", "typed"]);
        list.ShouldAllBe(r => r["Status"] == "available");

        await cinder.OkAsync("extend", plain["id"], "3");
        await cinder.WaitForStatusAsync("show", plain["id"], "available");
        (await cinder.OkAsync("show", plain["id"])).Properties["size"].ShouldBe("3");

        var snapshot = (await cinder.OkAsync("snapshot-create", "--name", "snap", plain["id"])).Properties;
        await cinder.WaitForStatusAsync("snapshot-show", snapshot["id"], "available");
        (await cinder.OkAsync("snapshot-list")).Table.ShouldHaveSingleItem()["Name"].ShouldBe("snap");

        var restored = (await cinder.OkAsync("create", "--snapshot-id", snapshot["id"], "--name", "restored", "3")).Properties;
        await cinder.WaitForStatusAsync("show", restored["id"], "available");
        (await cinder.OkAsync("show", restored["id"])).Properties["snapshot_id"].ShouldBe(snapshot["id"]);

        var services = (await cinder.OkAsync("service-list")).Table;
        var fast = services.Single(r => r["Host"] == $"{Host}@fast");
        fast["Binary"].ShouldBe("cinder-volume");
        fast["State"].ShouldBe("up");
        fast["Backend State"].ShouldBe("up");
        services.ShouldContain(r => r["Binary"] == "cinder-scheduler");

        var pools = (await cinder.OkAsync("get-pools", "--detail")).Output;
        pools.ShouldContain($"{Host}@slow#slow");
        pools.ShouldContain("total_capacity_gb");

        (await cinder.OkAsync("availability-zone-list")).Table.ShouldHaveSingleItem()["Name"].ShouldBe("nova");

        // Delete in dependency order; an unknown id is the client's usual error.
        await cinder.OkAsync("delete", restored["id"]);
        await cinder.OkAsync("snapshot-delete", snapshot["id"]);
        await WaitAsync(async () => (await cinder.OkAsync("snapshot-list")).Table.Count == 0);
        await cinder.OkAsync("delete", plain["id"], typed["id"]);
        await WaitAsync(async () => (await cinder.OkAsync("list")).Table.Count == 0);
        var missing = await cinder.RunAsync("show", "00000000-0000-0000-0000-000000000000");
        missing.ExitCode.ShouldNotBe(0);
        (missing.Output + missing.Error).ShouldContain("No volume with a name or ID");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
