using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Links come from <c>public_endpoint</c> when it is set, never from the client's <c>Host</c> header.</summary>
public sealed class PublicEndpointTests
{
    private const string Endpoint = "https://volume.example.com:8443/block";

    private static async Task<JsonElement> GetWithHostAsync(TestServer server, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.MultipleChoices);
        return await ReadJsonAsync(response);
    }

    private static IEnumerable<string> Hrefs(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "href" ? [p.Value.GetString()!] : Hrefs(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Hrefs),
        _ => [],
    };

    [Fact]
    public async Task PublicEndpointSet_EveryLinkStartsWithIt_WhateverTheHostHeader()
    {
        await using var server = await TestServer.StartAsync("fast", OneBackend, defaults: $"public_endpoint = {Endpoint}/");
        await WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        var volume = await CreateVolumeAsync(server);
        await CreateVolumeAsync(server);
        var type = (await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "gold"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString();

        var documents = new[]
        {
            await GetWithHostAsync(server, "/", "attacker.example"),
            await GetWithHostAsync(server, "/v3/", "attacker.example"),
            await GetWithHostAsync(server, $"/v3/{Project}/volumes/{volume}", "attacker.example"),
            await GetWithHostAsync(server, $"/v3/{Project}/volumes/detail?limit=1", "attacker.example"),
            await GetWithHostAsync(server, $"/v3/{Project}/types/{type}", "attacker.example"),
        };

        var hrefs = documents.SelectMany(Hrefs).ToList();
        hrefs.ShouldContain($"{Endpoint}/v3/");
        hrefs.ShouldContain($"{Endpoint}/v3/{Project}/volumes/{volume}");
        hrefs.ShouldContain($"{Endpoint}/{Project}/volumes/{volume}");
        hrefs.ShouldContain(h => h.StartsWith($"{Endpoint}/v3/{Project}/volumes/detail?limit=1&marker=", StringComparison.Ordinal));
        hrefs.ShouldAllBe(h => h.StartsWith(Endpoint + "/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicEndpointUnset_LinksFollowTheRequest_AsInCinder()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        var shown = await GetWithHostAsync(server, $"/v3/{Project}/volumes/{volume}", "proxy.example:1234");

        Hrefs(shown).ShouldAllBe(h => h.StartsWith("http://proxy.example:1234/", StringComparison.Ordinal));
    }
}
