using System.Net;
using System.Text.Json;
using Kiln.Core.Volumes;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Cinder's qos-specs API as Tempest's QosSpecsTestJSON drives it, plus the refusals around it.</summary>
public sealed class QosSpecsEndpointsTests
{
    private static async Task<JsonElement> CreateQosAsync(TestServer server, string body) =>
        (await CallAsync(server, HttpMethod.Post, "qos-specs", body, HttpStatusCode.OK)).GetProperty("qos_specs");

    private static async Task<string> CreateTypeAsync(TestServer server, string name) =>
        (await CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString()!;

    private static async Task<string[]> AssociatedAsync(TestServer server, string id) =>
        [.. (await GetAsync(server, $"qos-specs/{id}/associations")).GetProperty("qos_associations").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Create_NameConsumerAndKeys_SameObjectInCreateShowAndList()
    {
        await using var server = await StartAsync();

        var created = await CallAsync(server, HttpMethod.Post, "qos-specs", """{"qos_specs": {"name": "gold", "consumer": "front-end", "read_iops_sec": "2000"}}""", HttpStatusCode.OK);
        var qos = created.GetProperty("qos_specs");
        var id = qos.GetProperty("id").GetString()!;

        qos.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "name", "consumer", "specs"]);
        qos.GetProperty("name").GetString().ShouldBe("gold");
        qos.GetProperty("consumer").GetString().ShouldBe("front-end");
        qos.GetProperty("specs").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ShouldBe(["read_iops_sec=2000"]);
        created.GetProperty("links")[0].GetProperty("href").GetString()!.ShouldEndWith($"/v3/p1/qos-specs/{id}");

        var shown = await GetAsync(server, $"qos-specs/{id}");
        shown.GetProperty("qos_specs").GetRawText().ShouldBe(qos.GetRawText());
        var listed = (await GetAsync(server, "qos-specs")).GetProperty("qos_specs").EnumerateArray().Single();
        listed.GetRawText().ShouldBe(qos.GetRawText());
    }

    [Theory]
    [InlineData("front-end")]
    [InlineData("back-end")]
    [InlineData("both")]
    public async Task CreateDelete_EachConsumer_GoneFromListAndShow(string consumer)
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, $$$"""{"qos_specs": {"name": "q", "consumer": "{{{consumer}}}"}}""")).GetProperty("id").GetString();

        await CallAsync(server, HttpMethod.Delete, $"qos-specs/{id}", null, HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/{id}", null, HttpStatusCode.NotFound)).ShouldBe($"No such QoS spec {id}.");
        (await GetAsync(server, "qos-specs")).GetProperty("qos_specs").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Create_NoConsumer_BackEndAsCinder()
    {
        await using var server = await StartAsync();

        (await CreateQosAsync(server, """{"qos_specs": {"name": "q"}}""")).GetProperty("consumer").GetString().ShouldBe("back-end");
    }

    [Theory]
    [InlineData("""{"qos_specs": {"consumer": "both"}}""", HttpStatusCode.BadRequest, "'name' is a required property")]
    [InlineData("""{"qos_specs": {"name": "  "}}""", HttpStatusCode.BadRequest, "can not be empty")]
    [InlineData("""{"qos_specs": {"name": "q", "consumer": "hypervisor"}}""", HttpStatusCode.BadRequest, "Valid consumer of QoS specs are")]
    [InlineData("""{"qos_specs": {"name": "q", "iops": 5}}""", HttpStatusCode.BadRequest, "not a string")]
    [InlineData("""{"qos": {"name": "q"}}""", HttpStatusCode.BadRequest, "Additional properties are not allowed")]
    [InlineData("""{"qos_specs": {"name": "taken"}}""", HttpStatusCode.Conflict, "QoS Specs taken already exists.")]
    public async Task Create_Refused_NothingAdded(string body, HttpStatusCode status, string message)
    {
        await using var server = await StartAsync();
        await CreateQosAsync(server, """{"qos_specs": {"name": "taken"}}""");

        (await ErrorAsync(server, HttpMethod.Post, "qos-specs", body, status)).ShouldContain(message);

        (await GetAsync(server, "qos-specs")).GetProperty("qos_specs").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task SetAndUnsetKeys_AsTempest_KeyAddedThenRemoved()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q", "read_iops_sec": "2000"}}""")).GetProperty("id").GetString();

        var set = await CallAsync(server, HttpMethod.Put, $"qos-specs/{id}", """{"qos_specs": {"iops_bytes": "500"}}""", HttpStatusCode.OK);
        set.GetRawText().ShouldBe("""{"qos_specs":{"iops_bytes":"500"}}""");
        (await GetAsync(server, $"qos-specs/{id}")).GetProperty("qos_specs").GetProperty("specs").GetProperty("iops_bytes").GetString().ShouldBe("500");

        await CallAsync(server, HttpMethod.Put, $"qos-specs/{id}/delete_keys", """{"keys": ["iops_bytes"]}""", HttpStatusCode.Accepted);

        var specs = (await GetAsync(server, $"qos-specs/{id}")).GetProperty("qos_specs").GetProperty("specs");
        specs.EnumerateObject().Select(p => p.Name).ShouldBe(["read_iops_sec"]);
    }

    [Fact]
    public async Task UnsetKeys_OneMissing_NotFoundAndNothingRemoved()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q", "a": "1"}}""")).GetProperty("id").GetString();

        (await ErrorAsync(server, HttpMethod.Put, $"qos-specs/{id}/delete_keys", """{"keys": ["a", "b"]}""", HttpStatusCode.NotFound))
            .ShouldBe($"QoS spec {id} has no spec with key b.");
        (await ErrorAsync(server, HttpMethod.Put, $"qos-specs/{id}/delete_keys", """{"keys": "a"}""", HttpStatusCode.BadRequest)).ShouldContain("keys");

        (await GetAsync(server, $"qos-specs/{id}")).GetProperty("qos_specs").GetProperty("specs").GetProperty("a").GetString().ShouldBe("1");
    }

    [Fact]
    public async Task SetKeys_Consumer_ChangesConsumerNotKeys()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q"}}""")).GetProperty("id").GetString();

        await CallAsync(server, HttpMethod.Put, $"qos-specs/{id}", """{"qos_specs": {"consumer": "both"}}""", HttpStatusCode.OK);

        var shown = (await GetAsync(server, $"qos-specs/{id}")).GetProperty("qos_specs");
        shown.GetProperty("consumer").GetString().ShouldBe("both");
        shown.GetProperty("specs").EnumerateObject().ShouldBeEmpty();
        (await ErrorAsync(server, HttpMethod.Put, "qos-specs/nope", """{"qos_specs": {"a": "1"}}""", HttpStatusCode.NotFound)).ShouldBe("No such QoS spec nope.");
    }

    [Fact]
    public async Task Associate_ThreeTypes_ListedAndShownOnTheTypeThenDisassociated()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q"}}""")).GetProperty("id").GetString()!;
        string[] types = [await CreateTypeAsync(server, "t1"), await CreateTypeAsync(server, "t2"), await CreateTypeAsync(server, "t3")];

        foreach (var type in types)
        {
            await CallAsync(server, HttpMethod.Get, $"qos-specs/{id}/associate?vol_type_id={type}", null, HttpStatusCode.Accepted);
        }

        (await AssociatedAsync(server, id)).Order().ShouldBe(types.Order());
        (await GetAsync(server, $"types/{types[0]}")).GetProperty("volume_type").GetProperty("qos_specs_id").GetString().ShouldBe(id);
        var association = (await GetAsync(server, $"qos-specs/{id}/associations")).GetProperty("qos_associations")[0];
        association.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["association_type", "id", "name"]);
        association.GetProperty("association_type").GetString().ShouldBe("volume_type");

        await CallAsync(server, HttpMethod.Get, $"qos-specs/{id}/disassociate?vol_type_id={types[0]}", null, HttpStatusCode.Accepted);
        (await AssociatedAsync(server, id)).ShouldNotContain(types[0]);
        (await GetAsync(server, $"types/{types[0]}")).GetProperty("volume_type").GetProperty("qos_specs_id").ValueKind.ShouldBe(JsonValueKind.Null);

        await CallAsync(server, HttpMethod.Get, $"qos-specs/{id}/disassociate_all", null, HttpStatusCode.Accepted);
        (await AssociatedAsync(server, id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Associate_Refused_NothingChanges()
    {
        await using var server = await StartAsync();
        var first = (await CreateQosAsync(server, """{"qos_specs": {"name": "first"}}""")).GetProperty("id").GetString()!;
        var second = (await CreateQosAsync(server, """{"qos_specs": {"name": "second"}}""")).GetProperty("id").GetString()!;
        var type = await CreateTypeAsync(server, "t");
        await CallAsync(server, HttpMethod.Get, $"qos-specs/{first}/associate?vol_type_id={type}", null, HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/{second}/associate?vol_type_id={type}", null, HttpStatusCode.BadRequest))
            .ShouldBe($"Invalid volume type: Type {type} is already associated with another qos specs: {first}");
        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/{second}/associate", null, HttpStatusCode.BadRequest)).ShouldBe("Volume Type id must not be None.");
        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/{second}/associate?vol_type_id=nope", null, HttpStatusCode.NotFound)).ShouldBe("Volume type nope could not be found.");
        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/nope/associate?vol_type_id={type}", null, HttpStatusCode.NotFound)).ShouldBe("No such QoS spec nope.");

        (await AssociatedAsync(server, first)).ShouldBe([type]);
        (await AssociatedAsync(server, second)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_Associated_RefusedUnlessForcedWhichDisassociates()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q"}}""")).GetProperty("id").GetString()!;
        var type = await CreateTypeAsync(server, "t");
        await CallAsync(server, HttpMethod.Get, $"qos-specs/{id}/associate?vol_type_id={type}", null, HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Delete, $"qos-specs/{id}", null, HttpStatusCode.BadRequest)).ShouldBe("Qos specs still in use.");
        (await AssociatedAsync(server, id)).ShouldBe([type]);

        await CallAsync(server, HttpMethod.Delete, $"qos-specs/{id}?force=True", null, HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Get, $"qos-specs/{id}", null, HttpStatusCode.NotFound)).ShouldBe($"No such QoS spec {id}.");
        (await GetAsync(server, $"types/{type}")).GetProperty("volume_type").GetProperty("qos_specs_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AnyRoute_Member_ForbiddenAsCinderAdminApi()
    {
        await using var server = await StartAsync();
        var id = (await CreateQosAsync(server, """{"qos_specs": {"name": "q"}}""")).GetProperty("id").GetString()!;
        server.Token = "member";

        await CallAsync(server, HttpMethod.Get, "qos-specs", null, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Get, $"qos-specs/{id}", null, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Post, "qos-specs", """{"qos_specs": {"name": "mine"}}""", HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Delete, $"qos-specs/{id}", null, HttpStatusCode.Forbidden);

        server.Token = null;
        (await GetAsync(server, "qos-specs")).GetProperty("qos_specs").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task TypeSpecs_BackEndAssociated_HandedToTheCreateFrontEndNot()
    {
        await using var server = await StartAsync();
        var backEnd = (await CreateQosAsync(server, """{"qos_specs": {"name": "be", "consumer": "both", "total_iops_sec": "500"}}""")).GetProperty("id").GetString();
        var frontEnd = (await CreateQosAsync(server, """{"qos_specs": {"name": "fe", "consumer": "front-end", "read_iops_sec": "100"}}""")).GetProperty("id").GetString();
        var limited = await CreateTypeAsync(server, "limited");
        var hypervisor = await CreateTypeAsync(server, "hypervisor");
        await CallAsync(server, HttpMethod.Get, $"qos-specs/{backEnd}/associate?vol_type_id={limited}", null, HttpStatusCode.Accepted);
        await CallAsync(server, HttpMethod.Get, $"qos-specs/{frontEnd}/associate?vol_type_id={hypervisor}", null, HttpStatusCode.Accepted);
        var specs = server.Service<IVolumeTypeSpecs>();

        var forLimited = await specs.ForCreateAsync(limited, TestContext.Current.CancellationToken);
        var forHypervisor = await specs.ForCreateAsync(hypervisor, TestContext.Current.CancellationToken);

        forLimited.QosSpecs.ShouldBe(new Dictionary<string, string> { ["total_iops_sec"] = "500" });
        forHypervisor.QosSpecs.ShouldBeEmpty();
        forLimited.Encryption.ShouldBeNull();
    }
}
