using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Volume type encryption as Tempest's test_volume_type_encryption_create_get_update_delete drives it, and its refusals.</summary>
public sealed class EncryptionTypesEndpointsTests
{
    private const string Luks = """{"encryption": {"provider": "LuksEncryptor", "key_size": 256, "cipher": "aes-xts-plain64", "control_location": "front-end"}}""";

    private static async Task<string> CreateTypeAsync(TestServer server, string name = "enc") =>
        (await CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString()!;

    [Fact]
    public async Task CreateShowUpdateDelete_AsTempest_StoredShownAndGone()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);

        var created = (await CallAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.OK)).GetProperty("encryption");
        created.GetProperty("provider").GetString().ShouldBe("LuksEncryptor");
        created.GetProperty("key_size").GetInt32().ShouldBe(256);
        created.GetProperty("volume_type_id").GetString().ShouldBe(type);
        Guid.TryParse(created.GetProperty("encryption_id").GetString(), out _).ShouldBeTrue();

        var shown = await GetAsync(server, $"types/{type}/encryption");
        shown.EnumerateObject().Select(p => p.Name).Order().ShouldBe(
            ["cipher", "control_location", "created_at", "deleted", "deleted_at", "encryption_id", "key_size", "provider", "updated_at", "volume_type_id"]);
        shown.GetProperty("cipher").GetString().ShouldBe("aes-xts-plain64");
        shown.GetProperty("control_location").GetString().ShouldBe("front-end");
        shown.GetProperty("deleted").GetBoolean().ShouldBeFalse();

        var update = """{"encryption": {"key_size": 128, "provider": "SomeProvider", "cipher": "aes-xts-plain64", "control_location": "back-end"}}""";
        var updated = (await CallAsync(server, HttpMethod.Put, $"types/{type}/encryption/{type}", update, HttpStatusCode.OK)).GetProperty("encryption");
        updated.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["cipher", "control_location", "key_size", "provider"]);
        shown = await GetAsync(server, $"types/{type}/encryption");
        shown.GetProperty("key_size").GetInt32().ShouldBe(128);
        shown.GetProperty("provider").GetString().ShouldBe("SomeProvider");
        shown.GetProperty("control_location").GetString().ShouldBe("back-end");
        (await GetAsync(server, $"types/{type}/encryption/cipher")).GetRawText().ShouldBe("""{"cipher":"aes-xts-plain64"}""");

        await CallAsync(server, HttpMethod.Delete, $"types/{type}/encryption/{type}", null, HttpStatusCode.Accepted);

        (await GetAsync(server, $"types/{type}/encryption")).EnumerateObject().ShouldBeEmpty();
        (await ErrorAsync(server, HttpMethod.Get, $"types/{type}/encryption/cipher", null, HttpStatusCode.NotFound))
            .ShouldBe($"Volume type encryption for type {type} does not exist.");
    }

    [Theory]
    [InlineData("""{"encryption": {"provider": "p"}}""", "'control_location' is a required property")]
    [InlineData("""{"encryption": {"provider": "p", "control_location": "middle"}}""", "is not one of ['front-end', 'back-end']")]
    [InlineData("""{"encryption": {"provider": "p", "control_location": "front-end", "key_size": -1}}""", "key_size")]
    [InlineData("""{"encryption": {"provider": "p", "control_location": "front-end", "key_size": "abc"}}""", "key_size")]
    public async Task Create_BadBody_BadRequestAndNothingStored(string body, string message)
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"types/{type}/encryption", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await GetAsync(server, $"types/{type}/encryption")).EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_UnknownTypeOrTwice_NotFoundAndBadRequest()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.OK);
        var unknown = Guid.NewGuid().ToString();

        (await ErrorAsync(server, HttpMethod.Post, $"types/{unknown}/encryption", Luks, HttpStatusCode.NotFound)).ShouldBe($"Volume type {unknown} could not be found.");
        (await ErrorAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.BadRequest)).ShouldBe($"Volume type encryption for type {type} already exists.");
        (await ErrorAsync(server, HttpMethod.Delete, $"types/{unknown}/encryption/{unknown}", null, HttpStatusCode.NotFound))
            .ShouldBe($"Volume type encryption for type {unknown} does not exist.");
    }

    [Fact]
    public async Task UpdateAndDelete_TypeInUse_RefusedAndUnchanged()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.OK);

        // The fault driver ignores encryption, so a volume of the type exists.
        await CreateVolumeAsync(server, type: type);

        (await ErrorAsync(server, HttpMethod.Put, $"types/{type}/encryption/{type}", """{"encryption": {"key_size": 128}}""", HttpStatusCode.BadRequest))
            .ShouldBe("Cannot update encryption specs. Volume type in use.");
        (await ErrorAsync(server, HttpMethod.Delete, $"types/{type}/encryption/{type}", null, HttpStatusCode.BadRequest))
            .ShouldBe("Cannot delete encryption specs. Volume type in use.");

        (await GetAsync(server, $"types/{type}/encryption")).GetProperty("key_size").GetInt32().ShouldBe(256);
    }

    [Fact]
    public async Task AnyRoute_Member_Forbidden()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);
        server.Token = "member";

        await CallAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Get, $"types/{type}/encryption", null, HttpStatusCode.Forbidden);

        server.Token = null;
        (await GetAsync(server, $"types/{type}/encryption")).ValueKind.ShouldBe(JsonValueKind.Object);
        (await GetAsync(server, $"types/{type}/encryption")).EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task TypeSpecs_EncryptedType_EncryptionHandedToTheCreate()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{type}/encryption", Luks, HttpStatusCode.OK);

        var specs = await server.Service<Kiln.Core.Volumes.IVolumeTypeSpecs>().ForCreateAsync(type, TestContext.Current.CancellationToken);

        specs.Encryption.ShouldBe(new Kiln.Core.Drivers.VolumeEncryption("LuksEncryptor", "aes-xts-plain64", 256, "front-end"));
    }
}
