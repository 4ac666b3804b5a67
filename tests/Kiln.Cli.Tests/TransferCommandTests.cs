using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln transfer …</c> against a real server.</summary>
public sealed class TransferCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task CreateListAccept_TheKeyPrintedOnceAcceptsTheTransfer()
    {
        var name = Names.Unique("vol");
        var volume = await server.CreateVolumeAsync(name);

        var created = (await server.RunAsync("transfer", "create", name, "--name", "gift", "-o", "json")).ShouldSucceedWithJson();
        var id = created.GetProperty("id").GetString()!;
        var authKey = created.GetProperty("auth_key").GetString()!;
        created.GetProperty("volume_id").GetString().ShouldBe(volume);
        authKey.ShouldNotBeNullOrWhiteSpace();

        var listed = (await server.RunAsync("transfer", "list", "-o", "json")).ShouldSucceedWithJson().EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        listed.GetProperty("auth_key").ValueKind.ShouldBe(JsonValueKind.Null);
        (await server.RunAsync("transfer", "list")).ShouldSucceedWithTable().ShouldContain(id);
        (await server.RunAsync("volume", "show", volume, "-o", "json")).ShouldSucceedWithJson().GetProperty("status").GetString().ShouldBe("awaiting-transfer");

        (await server.RunAsync("transfer", "accept", id, "0000000000000000")).ShouldFailWithOneLine(ExitCodes.Conflict).ShouldContain("invalid auth key");
        var accepted = (await server.RunAsync("transfer", "accept", id, authKey)).ShouldSucceedWithTable();

        accepted.ShouldContain($"Transfer {id} accepted");
        (await server.RunAsync("volume", "show", volume, "-o", "json")).ShouldSucceedWithJson().GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Delete_WithdrawsTheOffer()
    {
        var name = Names.Unique("vol");
        var volume = await server.CreateVolumeAsync(name);
        var id = (await server.RunAsync("transfer", "create", volume, "-o", "json")).ShouldSucceedWithJson().GetProperty("id").GetString()!;

        (await server.RunAsync("transfer", "delete", id)).ShouldSucceedWithTable().Trim().ShouldBe($"Transfer {id} deleted.");

        (await server.RunAsync("volume", "show", volume, "-o", "json")).ShouldSucceedWithJson().GetProperty("status").GetString().ShouldBe("available");
        (await server.RunAsync("transfer", "delete", id)).ShouldFailWithOneLine(ExitCodes.NotFound);
    }
}
