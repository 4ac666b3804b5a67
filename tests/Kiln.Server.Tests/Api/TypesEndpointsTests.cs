using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class TypesEndpointsTests
{
    private static async Task<JsonElement> CreateTypeAsync(TestServer server, string body) =>
        (await CallAsync(server, HttpMethod.Post, "types", body, HttpStatusCode.OK)).GetProperty("volume_type");

    private static async Task<string[]> TypeNamesAsync(TestServer server, string query = "") =>
        [.. (await GetAsync(server, $"types{query}")).GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

    [Fact]
    public async Task List_FreshStart_DefaultTypeOnly()
    {
        await using var server = await StartAsync();

        var type = (await GetAsync(server, "types")).GetProperty("volume_types").EnumerateArray().Single();

        type.GetProperty("name").GetString().ShouldBe("__DEFAULT__");
        type.GetProperty("is_public").GetBoolean().ShouldBeTrue();
        type.GetProperty("os-volume-type-access:is_public").GetBoolean().ShouldBeTrue();
        type.GetProperty("extra_specs").EnumerateObject().ShouldBeEmpty();
        type.GetProperty("qos_specs_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Create_NameDescriptionSpecs_OkAndListed()
    {
        await using var server = await StartAsync();

        var type = await CreateTypeAsync(server, """
            {"volume_type": {"name": "fast", "description": "SSD", "extra_specs": {"volume_backend_name": "fast"}, "os-volume-type-access:is_public": "true"}}
            """);

        type.GetProperty("name").GetString().ShouldBe("fast");
        type.GetProperty("description").GetString().ShouldBe("SSD");
        type.GetProperty("extra_specs").GetProperty("volume_backend_name").GetString().ShouldBe("fast");
        Guid.TryParse(type.GetProperty("id").GetString(), out _).ShouldBeTrue();
        (await TypeNamesAsync(server)).ShouldBe(["__DEFAULT__", "fast"]);
        (await GetAsync(server, $"types/{type.GetProperty("id").GetString()}")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("fast");
    }

    [Fact]
    public async Task Create_DuplicateName_ConflictAndOneType()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, """{"volume_type": {"name": "gold"}}""");

        (await ErrorAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "gold"}}""", HttpStatusCode.Conflict)).ShouldBe("Volume Type gold already exists.");

        (await TypeNamesAsync(server)).ShouldBe(["__DEFAULT__", "gold"]);
    }

    [Theory]
    [InlineData("""{"volume_type": {}}""", "'name' is a required property")]
    [InlineData("""{"volume_type": {"name": "  "}}""", "The 'name' can not be empty.")]
    [InlineData("""{"volume_type": {"name": null}}""", "Invalid input for field/attribute name")]
    [InlineData("""{"volume_type": {"name": "x", "size": 1}}""", "Additional properties are not allowed ('size' was unexpected)")]
    [InlineData("""{"volume_type": {"name": "x", "extra_specs": {"k": 1}}}""", "The value of 'k' is 1")]
    [InlineData("""{"volume_type": {"name": "x", "os-volume-type-access:is_public": "maybe"}}""", "is not a boolean")]
    [InlineData("""{"type": {"name": "x"}}""", "Additional properties are not allowed ('type' was unexpected)")]
    public async Task Create_BadBody_BadRequestAndNoType(string body, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "types", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await TypeNamesAsync(server, "?is_public=none")).ShouldBe(["__DEFAULT__"]);
    }

    [Fact]
    public async Task List_IsPublic_PrivateTypesOnlyWhenAsked()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, """{"volume_type": {"name": "secret", "os-volume-type-access:is_public": false}}""");

        (await TypeNamesAsync(server)).ShouldBe(["__DEFAULT__"]);
        (await TypeNamesAsync(server, "?is_public=false")).ShouldBe(["secret"]);
        (await TypeNamesAsync(server, "?is_public=None")).ShouldBe(["__DEFAULT__", "secret"]);
        (await ErrorAsync(server, HttpMethod.Get, "types?is_public=maybe", null, HttpStatusCode.BadRequest)).ShouldBe("Invalid is_public filter [maybe]");
    }

    [Fact]
    public async Task List_NameFilter_ExactMatchAsCinderclientFindsTypes()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, """{"volume_type": {"name": "gold"}}""");
        await CreateTypeAsync(server, """{"volume_type": {"name": "golden"}}""");

        (await TypeNamesAsync(server, "?name=gold")).ShouldBe(["gold"]);
        (await ErrorAsync(server, HttpMethod.Get, "types?size=1", null, HttpStatusCode.BadRequest)).ShouldContain("Invalid filters size");
    }

    [Fact]
    public async Task List_LimitAndMarker_PagesByName()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, """{"volume_type": {"name": "a"}}""");
        await CreateTypeAsync(server, """{"volume_type": {"name": "b"}}""");

        var first = await GetAsync(server, "types?limit=2");
        var next = new Uri(first.GetProperty("volume_type_links")[0].GetProperty("href").GetString()!);
        var second = await GetAsync(server, next.PathAndQuery);

        first.GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["__DEFAULT__", "a"]);
        second.GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["b"]);
        (await ErrorAsync(server, HttpMethod.Get, "types?marker=nope", null, HttpStatusCode.BadRequest)).ShouldBe("marker [nope] not found");
    }

    [Fact]
    public async Task Show_DefaultAndUnknown_DefaultTypeAndNotFound()
    {
        await using var server = await StartAsync();

        (await GetAsync(server, "types/default")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("__DEFAULT__");
        (await ErrorAsync(server, HttpMethod.Get, "types/nope", null, HttpStatusCode.NotFound)).ShouldBe("Volume type nope could not be found.");
    }

    [Fact]
    public async Task Update_DescriptionAndName_Changed()
    {
        await using var server = await StartAsync();
        var id = (await CreateTypeAsync(server, """{"volume_type": {"name": "old"}}""")).GetProperty("id").GetString();

        var updated = (await CallAsync(server, HttpMethod.Put, $"types/{id}", """{"volume_type": {"name": "new", "description": "d", "is_public": false}}""", HttpStatusCode.OK)).GetProperty("volume_type");

        updated.GetProperty("name").GetString().ShouldBe("new");
        updated.GetProperty("description").GetString().ShouldBe("d");
        updated.GetProperty("is_public").GetBoolean().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"volume_type": {}}""", HttpStatusCode.BadRequest, "Specify volume type name, description, is_public or a combination thereof.")]
    [InlineData("""{"volume_type": {"name": " "}}""", HttpStatusCode.BadRequest, "Volume type name can not be empty.")]
    [InlineData("""{"volume_type": {"extra_specs": {}}}""", HttpStatusCode.BadRequest, "Additional properties are not allowed ('extra_specs' was unexpected)")]
    [InlineData("""{"volume_type": {"name": "__DEFAULT__"}}""", HttpStatusCode.Conflict, "Volume Type __DEFAULT__ already exists.")]
    public async Task Update_Refused_Unchanged(string body, HttpStatusCode status, string message)
    {
        await using var server = await StartAsync();
        var id = (await CreateTypeAsync(server, """{"volume_type": {"name": "keep"}}""")).GetProperty("id").GetString();

        (await ErrorAsync(server, HttpMethod.Put, $"types/{id}", body, status)).ShouldContain(message);

        (await GetAsync(server, $"types/{id}")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("keep");
    }

    [Fact]
    public async Task Update_Unknown_NotFound()
    {
        await using var server = await StartAsync();

        await ErrorAsync(server, HttpMethod.Put, "types/nope", """{"volume_type": {"description": "d"}}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_Unused_AcceptedAndGone()
    {
        await using var server = await StartAsync();
        var id = (await CreateTypeAsync(server, """{"volume_type": {"name": "temp"}}""")).GetProperty("id").GetString();

        await CallAsync(server, HttpMethod.Delete, $"types/{id}", null, HttpStatusCode.Accepted);

        await ErrorAsync(server, HttpMethod.Get, $"types/{id}", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Delete, $"types/{id}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_DefaultType_BadRequestAndKept()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Delete, "types/default", null, HttpStatusCode.BadRequest)).ShouldContain("is a default volume type and cannot be deleted");

        (await TypeNamesAsync(server)).ShouldBe(["__DEFAULT__"]);
    }

    [Fact]
    public async Task Delete_InUse_BadRequestAndKept()
    {
        await using var server = await StartAsync();
        var id = (await CreateTypeAsync(server, """{"volume_type": {"name": "used"}}""")).GetProperty("id").GetString();
        await CreateVolumeAsync(server, type: "used");

        (await ErrorAsync(server, HttpMethod.Delete, $"types/{id}", null, HttpStatusCode.BadRequest)).ShouldBe("Target volume type is still in use.");

        await GetAsync(server, $"types/{id}");
    }
}
