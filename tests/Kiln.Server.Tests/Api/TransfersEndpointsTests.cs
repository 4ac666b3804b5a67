using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Transfers;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class TransfersEndpointsTests
{
    private const string Receiver = "p2";

    [Fact]
    public async Task Create_AnswersTheKeyOnce_VolumeAwaitsTransfer_OnlyASaltedHashIsStored()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);

        var created = (await CallAsync(server, HttpMethod.Post, "os-volume-transfer", Body(volumeId, "gift"), HttpStatusCode.Accepted)).GetProperty("transfer");

        Keys(created).ShouldBe(["id", "created_at", "name", "volume_id", "links", "auth_key"], ignoreOrder: true);
        created.GetProperty("name").GetString().ShouldBe("gift");
        var authKey = created.GetProperty("auth_key").GetString()!;
        authKey.Length.ShouldBe(TransferKeys.KeyLength);
        (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("awaiting-transfer");

        var id = created.GetProperty("id").GetString()!;
        var shown = (await GetAsync(server, $"os-volume-transfer/{id}")).GetProperty("transfer");
        Keys(shown).ShouldBe(["id", "created_at", "name", "volume_id", "links"], ignoreOrder: true);
        var stored = await server.Service<ITransferRepository>().FindAsync(id, TestContext.Current.CancellationToken);
        stored!.CryptHash.ShouldNotContain(authKey);
        stored.CryptHash.ShouldBe(TransferKeys.Hash(stored.Salt, authKey));

        var summary = (await GetAsync(server, "os-volume-transfer")).GetProperty("transfers").EnumerateArray().Single();
        Keys(summary).ShouldBe(["id", "volume_id", "name", "links"], ignoreOrder: true);
        var detail = (await GetAsync(server, "os-volume-transfer/detail")).GetProperty("transfers").EnumerateArray().Single();
        Keys(detail).ShouldBe(["id", "created_at", "name", "volume_id", "links"], ignoreOrder: true);
    }

    [Fact]
    public async Task Create_VolumeNotAvailable_BadRequestAndNoTransfer()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, "os-volume-transfer", Body(volumeId), HttpStatusCode.Accepted);

        // The volume awaits the first transfer: a second offer is refused as Cinder refuses it.
        (await ErrorAsync(server, HttpMethod.Post, "os-volume-transfer", Body(volumeId), HttpStatusCode.BadRequest)).ShouldContain("status must be available");
        (await GetAsync(server, "os-volume-transfer")).GetProperty("transfers").GetArrayLength().ShouldBe(1);
        await ErrorAsync(server, HttpMethod.Post, "os-volume-transfer", Body(Guid.NewGuid().ToString()), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accept_MovesVolumeAndSnapshotsWithTheirQuotaUsage()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server, size: 2);
        var snapshotId = await CreateSnapshotAsync(server, volumeId);
        var (id, authKey) = await OfferAsync(server, volumeId);

        server.Token = "member";
        var accepted = (await CallAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept(authKey), HttpStatusCode.Accepted)).GetProperty("transfer");
        Keys(accepted).ShouldBe(["id", "volume_id", "name", "links"], ignoreOrder: true);
        accepted.GetProperty("volume_id").GetString().ShouldBe(volumeId);

        var volume = (await GetAsync(server, $"/v3/{Receiver}/volumes/{volumeId}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("user_id").GetString().ShouldBe("member-user");
        (await GetAsync(server, $"/v3/{Receiver}/snapshots/{snapshotId}")).GetProperty("snapshot").GetProperty("volume_id").GetString().ShouldBe(volumeId);

        server.Token = null;
        (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume").GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Receiver);
        var donor = (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set");
        donor.GetProperty("volumes").GetProperty("in_use").GetInt32().ShouldBe(0);
        donor.GetProperty("gigabytes").GetProperty("in_use").GetInt32().ShouldBe(0);
        var receiver = (await GetAsync(server, $"os-quota-sets/{Receiver}?usage=true")).GetProperty("quota_set");
        receiver.GetProperty("volumes").GetProperty("in_use").GetInt32().ShouldBe(1);
        receiver.GetProperty("snapshots").GetProperty("in_use").GetInt32().ShouldBe(1);
        receiver.GetProperty("gigabytes").GetProperty("in_use").GetInt32().ShouldBe(4);

        // Accepted: no longer listed, shown or accepted again.
        (await GetAsync(server, "os-volume-transfer?all_tenants=1")).GetProperty("transfers").GetArrayLength().ShouldBe(0);
        await ErrorAsync(server, HttpMethod.Get, $"os-volume-transfer/{id}", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept(authKey), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accept_WrongKey_BadRequestAndNothingMoves()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);
        var (id, _) = await OfferAsync(server, volumeId);

        server.Token = "member";
        (await ErrorAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept("0000000000000000"), HttpStatusCode.BadRequest))
            .ShouldBe($"Invalid auth key: Attempt to transfer {id} with invalid auth key.");

        server.Token = null;
        var volume = (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("awaiting-transfer");
        volume.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Project);
    }

    [Fact]
    public async Task Accept_OverTheReceiversQuota_OverLimitAndNothingMoves()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server, size: 3);
        var (id, authKey) = await OfferAsync(server, volumeId);
        await SetQuotasAsync(server, Receiver, """ "gigabytes": 2 """);

        server.Token = "member";
        (await OverLimitAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept(authKey)))
            .ShouldBe("Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 2G and 0G has been consumed.");

        server.Token = null;
        var volume = (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("awaiting-transfer");
        volume.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Project);
        (await GetAsync(server, $"os-volume-transfer/{id}")).GetProperty("transfer").GetProperty("id").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task Delete_WithdrawsTheOffer_VolumeAvailableAgain()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);
        var (id, authKey) = await OfferAsync(server, volumeId);

        await CallAsync(server, HttpMethod.Delete, $"os-volume-transfer/{id}", null, HttpStatusCode.Accepted);

        (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        await ErrorAsync(server, HttpMethod.Delete, $"os-volume-transfer/{id}", null, HttpStatusCode.NotFound);
        server.Token = "member";
        await ErrorAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept(authKey), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OtherProject_DoesNotSeeTheTransfer()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);
        var (id, _) = await OfferAsync(server, volumeId);

        server.Token = "member";
        (await GetAsync(server, $"/v3/{Receiver}/os-volume-transfer")).GetProperty("transfers").GetArrayLength().ShouldBe(0);
        await ErrorAsync(server, HttpMethod.Get, $"/v3/{Receiver}/os-volume-transfer/{id}", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Delete, $"/v3/{Receiver}/os-volume-transfer/{id}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BackendNotReady_CreateAndAcceptRefusedWithConflict_NothingChanges()
    {
        await using var server = await VolumeApi.StartAsync();
        var offered = await CreateVolumeAsync(server);
        var kept = await CreateVolumeAsync(server);
        var (id, authKey) = await OfferAsync(server, offered);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Post, "os-volume-transfer", Body(kept), HttpStatusCode.Conflict)).ShouldContain("node@fast");
        (await GetAsync(server, $"volumes/{kept}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");

        server.Token = "member";
        (await ErrorAsync(server, HttpMethod.Post, $"/v3/{Receiver}/os-volume-transfer/{id}/accept", Accept(authKey), HttpStatusCode.Conflict)).ShouldContain("node@fast");
        server.Token = null;
        var volume = (await GetAsync(server, $"volumes/{offered}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("awaiting-transfer");
        volume.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Project);
    }

    [Fact]
    public async Task OldRoute_RefusesNoSnapshots_NewRouteNeeds355()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, "os-volume-transfer", $$$"""{"transfer": {"volume_id": "{{{volumeId}}}", "no_snapshots": true}}""", HttpStatusCode.BadRequest))
            .ShouldContain("'no_snapshots' was unexpected");
        await ErrorAsync(server, HttpMethod.Get, "volume-transfers", null, HttpStatusCode.NotFound, version: "3.49");
        (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Member_CanOfferAndWithdrawItsOwnVolume()
    {
        await using var server = await VolumeApi.StartAsync();
        server.Token = "member";
        var volumeId = await CreateVolumeAsync(server);
        var (id, _) = await OfferAsync(server, volumeId);

        (await GetAsync(server, "os-volume-transfer")).GetProperty("transfers").EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(id);
        await CallAsync(server, HttpMethod.Delete, $"os-volume-transfer/{id}", null, HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("os-volume-transfer", "3.55")]
    [InlineData("volume-transfers", "3.55")]
    [InlineData("os-volume-transfer", "3.57")]
    [InlineData("volume-transfers", "3.57")]
    public async Task View_FieldsFollowTheMicroversionOnBothRoutes(string route, string version)
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);

        var created = (await CallAsync(server, HttpMethod.Post, route, Body(volumeId), HttpStatusCode.Accepted, version)).GetProperty("transfer");
        var id = created.GetProperty("id").GetString()!;
        var shown = (await GetAsync(server, $"{route}/{id}", version)).GetProperty("transfer");
        var detail = (await GetAsync(server, $"{route}/detail", version)).GetProperty("transfers").EnumerateArray().Single();

        string[] expected = version == "3.55"
            ? ["id", "created_at", "name", "volume_id", "links", "no_snapshots"]
            : ["id", "created_at", "name", "volume_id", "links", "no_snapshots", "destination_project_id", "source_project_id", "accepted"];
        Keys(created).ShouldBe([.. expected, "auth_key"], ignoreOrder: true);
        Keys(shown).ShouldBe(expected, ignoreOrder: true);
        Keys(detail).ShouldBe(expected, ignoreOrder: true);
        shown.GetProperty("no_snapshots").GetBoolean().ShouldBeFalse();
        if (version == "3.57")
        {
            shown.GetProperty("source_project_id").GetString().ShouldBe(Project);
            shown.GetProperty("destination_project_id").ValueKind.ShouldBe(JsonValueKind.Null);
            shown.GetProperty("accepted").GetBoolean().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task NoSnapshots_VolumeMovesAlone_SnapshotsStayWithTheDonor()
    {
        await using var server = await VolumeApi.StartAsync();
        var volumeId = await CreateVolumeAsync(server);
        var snapshotId = await CreateSnapshotAsync(server, volumeId);
        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshotId}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        // A snapshot that is not available blocks a transfer that takes it, not one that leaves it behind.
        (await ErrorAsync(server, HttpMethod.Post, "volume-transfers", Body(volumeId), HttpStatusCode.BadRequest, "3.55")).ShouldContain($"snapshot: {snapshotId} status must be available");
        var (id, authKey) = await OfferAsync(server, volumeId, "volume-transfers", "3.55", "\"no_snapshots\": true");
        (await GetAsync(server, $"volume-transfers/{id}", "3.55")).GetProperty("transfer").GetProperty("no_snapshots").GetBoolean().ShouldBeTrue();

        server.Token = "member";
        await CallAsync(server, HttpMethod.Post, $"/v3/{Receiver}/volume-transfers/{id}/accept", Accept(authKey), HttpStatusCode.Accepted, "3.55");

        server.Token = null;
        (await GetAsync(server, $"volumes/{volumeId}")).GetProperty("volume").GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(Receiver);
        (await GetAsync(server, $"snapshots/{snapshotId}")).GetProperty("snapshot").GetProperty("os-extended-snapshot-attributes:project_id").GetString().ShouldBe(Project);
        var receiver = (await GetAsync(server, $"os-quota-sets/{Receiver}?usage=true")).GetProperty("quota_set");
        receiver.GetProperty("snapshots").GetProperty("in_use").GetInt32().ShouldBe(0);
    }

    internal static string Body(string volumeId, string? name = null) => JsonSerializer.Serialize(new { transfer = new { volume_id = volumeId, name } });

    internal static string Accept(string authKey) => JsonSerializer.Serialize(new { accept = new { auth_key = authKey } });

    internal static async Task<(string Id, string AuthKey)> OfferAsync(TestServer server, string volumeId, string route = "os-volume-transfer", string? version = null, string? extra = null)
    {
        var body = extra is null ? Body(volumeId) : $$$"""{"transfer": {"volume_id": "{{{volumeId}}}", {{{extra}}}}}""";
        var created = (await CallAsync(server, HttpMethod.Post, route, body, HttpStatusCode.Accepted, version)).GetProperty("transfer");
        return (created.GetProperty("id").GetString()!, created.GetProperty("auth_key").GetString()!);
    }
}
