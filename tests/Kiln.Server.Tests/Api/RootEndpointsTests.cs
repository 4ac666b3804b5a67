using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.Server.Tests.Api;

public sealed class RootEndpointsTests
{
    [Fact]
    public async Task Versions_Root_MultipleChoicesWithV3Range()
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");

        using var response = await server.Client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.MultipleChoices);
        var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versions")[0];
        version.GetProperty("id").GetString().ShouldBe("v3.0");
        version.GetProperty("min_version").GetString().ShouldBe("3.0");
        version.GetProperty("version").GetString().ShouldBe("3.70");
        version.GetProperty("links")[0].GetProperty("href").GetString().ShouldBe($"{server.Client.BaseAddress}v3/");
    }

    [Fact]
    public async Task Versions_V3_DescribesTheCurrentVersion()
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");

        var body = await server.Client.GetFromJsonAsync<JsonElement>("/v3/");

        // Cinder's shape (and Tempest's schema): a "versions" list holding v3 only.
        var version = body.GetProperty("versions").EnumerateArray().ShouldHaveSingleItem();
        version.GetProperty("id").GetString().ShouldBe("v3.0");
        version.GetProperty("status").GetString().ShouldBe("CURRENT");
    }

    [Fact]
    public async Task Live_WhileBackendsHang_AnswersOk()
    {
        await using var server = await TestServer.StartAsync("h", "[h]\nvolume_driver = fault\nfault_control_file = $DIR/h.json", dir => File.WriteAllText(Path.Combine(dir, "h.json"), """{"init":"hang"}"""));

        using var response = await server.Client.GetAsync("/healthz/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("ok\n");
    }
}
