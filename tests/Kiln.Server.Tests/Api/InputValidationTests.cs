using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kiln.Server.Backends;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Bad input on every write endpoint is a 400 (or 415) in Cinder's shape, and changes nothing.</summary>
public sealed class InputValidationTests
{
    /// <summary>Bodies with a lone UTF-16 surrogate; <c>{volume}</c> is an existing volume's id.</summary>
    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "POST", "volumes", """{"volume": {"size": 1, "name": "a\ud800b"}}""" },
        { "POST", "volumes", """{"volume": {"size": 1, "description": "\udc00"}}""" },
        { "POST", "volumes", """{"volume": {"size": 1, "metadata": {"k": "\ud800"}}}""" },
        { "POST", "volumes", """{"volume": {"size": 1, "metadata": {"\ud800": "v"}}}""" },
        { "POST", "volumes", """{"volume": {"size": 1}, "\ud800": 1}""" },
        { "POST", "volumes", """{"volume": {"size": 1, "name": ["\ud800"]}}""" },
        { "PUT", "volumes/{volume}", """{"volume": {"name": "\ud800"}}""" },
        { "POST", "volumes/{volume}/metadata", """{"metadata": {"k": "\ud800"}}""" },
        { "PUT", "volumes/{volume}/metadata/k", """{"meta": {"k": "\ud800"}}""" },
        { "POST", "volumes/{volume}/action", """{"os-reset_status": {"status": "\ud800"}}""" },
        { "POST", "snapshots", """{"snapshot": {"volume_id": "{volume}", "name": "\ud800"}}""" },
        { "POST", "types", """{"volume_type": {"name": "\ud800"}}""" },
        { "POST", "types/default/extra_specs", """{"extra_specs": {"k": "\ud800"}}""" },
        { "PUT", "os-services/disable", """{"host": "\ud800", "binary": "cinder-volume"}""" },
        { "PUT", "os-services/reinit", """{"host": "\ud800"}""" },
        { "PUT", "os-quota-sets/p1", """{"quota_set": {"volumes": "\ud800"}}""" },
        { "PUT", "os-quota-class-sets/default", """{"quota_class_set": {"volumes": "\ud800"}}""" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task LoneSurrogate_AnyEndpoint_BadRequestAndNothingChanges(string method, string path, string body)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server, name: "kept");

        var message = await ErrorAsync(server, new HttpMethod(method), path.Replace("{volume}", volume, StringComparison.Ordinal), body.Replace("{volume}", volume, StringComparison.Ordinal), HttpStatusCode.BadRequest);

        message.ShouldStartWith("Error decoding your request: ");
        message.ShouldContain("body");
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBe([volume]);
        var kept = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume");
        kept.GetProperty("name").GetString().ShouldBe("kept");
        kept.GetProperty("status").GetString().ShouldBe("available");
        kept.GetProperty("metadata").EnumerateObject().ShouldBeEmpty();
        (await GetAsync(server, "snapshots")).GetProperty("snapshots").EnumerateArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/jsonx")]
    public async Task NonJsonContentType_UnsupportedMediaTypeAndNothingCreated(string contentType)
    {
        await using var server = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/{Project}/volumes")
        {
            Content = new StringContent("""{"volume": {"size": 1}}""", Encoding.UTF8, contentType),
        };

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await ReadJsonAsync(response)).GetRawText().ShouldBe("""{"badMediaType":{"code":415,"message":"Unsupported Content-Type"}}""");
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/vnd.openstack.volume+json")]
    [InlineData(null)]
    public async Task JsonOrNoContentType_Accepted(string? contentType)
    {
        await using var server = await StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"volume": {"size": 1}}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await server.Client.PostAsync($"/v3/{Project}/volumes", content, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("03.1")]
    [InlineData("3.01")]
    [InlineData("3.00")]
    [InlineData("0.3")]
    [InlineData("+3.1")]
    [InlineData("3.-1")]
    public async Task Microversion_LeadingZerosOrNotDigits_BadRequest(string version)
    {
        await using var server = await StartAsync();

        var message = await ErrorAsync(server, HttpMethod.Get, "volumes", null, HttpStatusCode.BadRequest, version);

        message.ShouldBe($"API Version String {version} is of invalid format. Must be of format MajorNum.MinorNum.");
    }

    [Theory]
    [InlineData("3.0", "volume 3.0")]
    [InlineData("3.10", "volume 3.10")]
    [InlineData("latest", "volume 3.70")]
    public async Task Microversion_Wellformed_Negotiated(string version, string answered)
    {
        await using var server = await StartAsync();

        using var response = await SendAsync(server, HttpMethod.Get, "volumes", version: version);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("OpenStack-API-Version").Single().ShouldBe(answered);
    }

    [Theory]
    [InlineData("POST", "volumes", """{"volume": {"size": 1, "metadata": {"key\n": "v"}}}""")]
    [InlineData("POST", "volumes/{volume}/metadata", """{"metadata": {"key\n": "v"}}""")]
    [InlineData("PUT", "volumes/{volume}/metadata", """{"metadata": {"key\n": "v"}}""")]
    [InlineData("POST", "types", """{"volume_type": {"name": "t", "extra_specs": {"key\n": "v"}}}""")]
    [InlineData("POST", "types", """{"volume_type": {"name": "t", "extra_specs": {"a b": "v"}}}""")]
    [InlineData("POST", "types", """{"volume_type": {"name": "t", "extra_specs": {"a/b": "v"}}}""")]
    [InlineData("POST", "types/default/extra_specs", """{"extra_specs": {"key\n": "v"}}""")]
    public async Task MapKey_TrailingNewlineOrCharacterOutsideTheSet_BadRequestAndNothingChanges(string method, string path, string body)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        var message = await ErrorAsync(server, new HttpMethod(method), path.Replace("{volume}", volume, StringComparison.Ordinal), body, HttpStatusCode.BadRequest);

        message.ShouldContain("is invalid: keys are 1 to 255 characters of");
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBe([volume]);
        (await GetAsync(server, $"volumes/{volume}/metadata")).GetProperty("metadata").EnumerateObject().ShouldBeEmpty();
        (await GetAsync(server, "types")).GetProperty("volume_types").GetArrayLength().ShouldBe(1);
        (await GetAsync(server, "types/default/extra_specs")).GetProperty("extra_specs").EnumerateObject().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("os-services/reinit", """{"host": "node@fast", "binary": "../../bin/sh"}""", "'binary' was unexpected")]
    [InlineData("os-services/disable", """{"host": "node@fast", "binary": "cinder-volume", "command": "rm"}""", "'command' was unexpected")]
    [InlineData("os-services/enable", """{"host": "node@fast", "binary": "cinder-volume", "disabled_reason": "x"}""", "'disabled_reason' was unexpected")]
    [InlineData("os-services/disable-log-reason", """{"host": "node@fast", "binary": "cinder-volume", "disabled_reason": "x", "extra": 1}""", "'extra' was unexpected")]
    public async Task Services_UnknownField_BadRequestAndNothingChanges(string path, string body, string message)
    {
        await using var server = await StartAsync();
        var backend = server.Service<BackendCatalog>().Find("node@fast")!;
        var driver = backend.Driver;

        (await ErrorAsync(server, HttpMethod.Put, path, body, HttpStatusCode.BadRequest)).ShouldContain($"Additional properties are not allowed ({message})");

        var service = (await GetAsync(server, "os-services?binary=cinder-volume")).GetProperty("services").EnumerateArray().Single();
        service.GetProperty("status").GetString().ShouldBe("enabled");
        backend.Driver.ShouldBeSameAs(driver);
    }

    [Fact]
    public async Task Services_KnownFields_StillAccepted()
    {
        await using var server = await StartAsync();

        await CallAsync(server, HttpMethod.Put, "os-services/disable-log-reason", """{"host": "node@fast", "binary": "cinder-volume", "cluster": null, "disabled_reason": "maintenance"}""", HttpStatusCode.OK);
        await CallAsync(server, HttpMethod.Put, "os-services/enable", """{"host": "node@fast", "service": "cinder-volume"}""", HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"volume_type": {"name": "a\u0000b"}}""", "U+0000")]
    [InlineData("""{"volume_type": {"name": "line\nbreak"}}""", "U+000A")]
    [InlineData("""{"volume_type": {"name": "tab\there"}}""", "U+0009")]
    [InlineData("""{"volume_type": {"name": "zero\u200Bwidth"}}""", "U+200B")]
    [InlineData("""{"volume_type": {"name": "para\u2029graph"}}""", "U+2029")]
    [InlineData("""{"volume_type": {"name": "ok", "description": "nul\u0000"}}""", "U+0000")]
    public async Task TypeCreate_NonPrintableCharacter_BadRequestAndNoType(string body, string character)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "types", body, HttpStatusCode.BadRequest)).ShouldContain($"It contains {character}, which is not a printable character.");

        (await GetAsync(server, "types")).GetProperty("volume_types").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task TypeUpdate_NulInName_BadRequestAndNameKept()
    {
        await using var server = await StartAsync();
        var id = (await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "gold"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString();

        (await ErrorAsync(server, HttpMethod.Put, $"types/{id}", """{"volume_type": {"name": "go\u0000ld"}}""", HttpStatusCode.BadRequest)).ShouldContain("U+0000");

        (await GetAsync(server, $"types/{id}")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("gold");
    }

    [Fact]
    public async Task TypeCreate_PrintableUnicodeAndSpaces_Accepted()
    {
        await using var server = await StartAsync();

        var type = await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "Gold tier – ünïcode 🚀", "description": "a b"}}""", HttpStatusCode.OK);

        type.GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("Gold tier – ünïcode 🚀");
    }

    [Fact]
    public async Task BytesThatAreNotUtf8_BadRequestAndNothingCreated()
    {
        await using var server = await StartAsync();
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"volume": {"size": 1, "name": "a"""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}}")];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");

        using var response = await server.Client.PostAsync($"/v3/{Project}/volumes", content, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadJsonAsync(response)).GetProperty("badRequest").GetProperty("code").GetInt32().ShouldBe(400);
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();
    }

    [Fact]
    public async Task LoneSurrogate_MessageNamesTheField()
    {
        await using var server = await StartAsync();

        var message = await ErrorAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1, "metadata": {"a": "ok", "b": "\ud800"}}}""", HttpStatusCode.BadRequest);

        message.ShouldBe("Error decoding your request: body.volume.metadata.b contains characters that could not be decoded (a lone UTF-16 surrogate such as \\ud800, or bytes that are not UTF-8).");
    }
}
