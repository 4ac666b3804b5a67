using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>python-cinderclient's <c>attachment-*</c> commands (3.27+, complete 3.44+) drive a running <c>kiln serve</c> as a compute host would.</summary>
public sealed class CinderClientAttachmentTests : IDisposable
{
    private const string Host = "cli-node";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-cinder-attach-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task CinderClient_AttachmentCreateUpdateCompleteDelete_VolumeReservedAttachingInUseAvailable()
    {
        CinderCli.IsInstalled.ShouldBeTrue("python3-cinderclient must be installed (build.sh installs it)");
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = fast

            [fast]
            volume_driver = fault
            """);
        await using var kiln = KilnProcess.Start(config, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);
        await client.WaitForStateAsync($"{Host}@fast", "ready", TimeSpan.FromSeconds(10));
        var cinder = new CinderCli(address, "3.44");
        var volume = (await cinder.OkAsync("create", "--name", "disk", "1")).Properties["id"];
        await cinder.WaitForStatusAsync("show", volume, "available");
        var server = Guid.NewGuid().ToString();

        // Without --connect the client sends an empty connector: a reservation.
        var created = await cinder.OkAsync("attachment-create", volume, server);
        var attachment = Value(created.Output, "id");
        Value(created.Output, "status").ShouldBe("reserved");
        Value(created.Output, "instance").ShouldBe(server);
        (await cinder.OkAsync("show", volume)).Properties["status"].ShouldBe("reserved");

        var updated = await cinder.OkAsync(
            "attachment-update", attachment, "--initiator", "iqn.1993-08.org.debian:01:cli", "--ip", "192.0.2.20", "--host", "compute-cli", "--mountpoint", "/dev/vdb");
        Value(updated.Output, "status").ShouldBe("attaching");
        Value(updated.Output, "driver_volume_type").ShouldBe("fault");
        (await cinder.OkAsync("show", volume)).Properties["status"].ShouldBe("attaching");

        await cinder.OkAsync("attachment-complete", attachment);
        var shown = (await cinder.OkAsync("show", volume)).Properties;
        shown["status"].ShouldBe("in-use");
        shown["attached_servers"].ShouldContain(server);
        var listed = (await cinder.OkAsync("attachment-list")).Table.ShouldHaveSingleItem();
        listed["ID"].ShouldBe(attachment);
        listed["Status"].ShouldBe("attached");

        await cinder.OkAsync("attachment-delete", attachment);
        (await cinder.OkAsync("show", volume)).Properties["status"].ShouldBe("available");
        (await cinder.OkAsync("attachment-list")).Table.ShouldBeEmpty();
        await cinder.OkAsync("delete", volume);
    }

    /// <summary>The value of the first <c>| key | value |</c> row (the client prints the attachment, then its connection info).</summary>
    private static string Value(string output, string key) =>
        output.Split('\n')
            .Where(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .First(r => r.Length == 2 && r[0] == key)[1];
}
