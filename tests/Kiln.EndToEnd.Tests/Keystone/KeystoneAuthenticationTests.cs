using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>Kiln with <c>auth_strategy = keystone</c> authenticates requests with a real Keystone's tokens, and fails closed.</summary>
[Collection(KeystoneCloudGroup.Name)]
public sealed class KeystoneAuthenticationTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task VolumeList_NoToken_401NamingKeystone()
    {
        using var http = cloud.Client();

        using var response = await http.GetAsync($"/v3/{cloud.MemberA.ProjectId}/volumes");

        await response.ShouldBeUnauthorizedAsync(cloud.Keystone.AuthUrl);
    }

    [Fact]
    public async Task VolumeList_MadeUpToken_401NamingKeystone()
    {
        using var http = cloud.Client("gAAAAABnot-a-token-keystone-ever-issued");

        using var response = await http.GetAsync($"/v3/{cloud.MemberA.ProjectId}/volumes");

        await response.ShouldBeUnauthorizedAsync(cloud.Keystone.AuthUrl);
    }

    [Fact]
    public async Task Versions_NoToken_200WithTheV3Version()
    {
        using var http = cloud.Client();

        using var response = await http.GetAsync("/v3/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versions").EnumerateArray().ShouldHaveSingleItem();
        version.GetProperty("id").GetString().ShouldBe("v3.0");
        version.GetProperty("status").GetString().ShouldBe("CURRENT");
    }

    [Fact]
    public async Task VolumeList_KeystoneStopped_CachedTokenWorksAndUnknownToken503UntilKeystoneIsBack()
    {
        var used = await cloud.TokenAsync(cloud.MemberA);
        var unused = await cloud.TokenAsync(cloud.MemberA);
        var url = $"/v3/{cloud.MemberA.ProjectId}/volumes";
        using var withUsed = cloud.Client(used);
        using var withUnused = cloud.Client(unused);
        using (var first = await withUsed.GetAsync(url))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        }

        await cloud.Keystone.StopAsync();
        try
        {
            using var cached = await withUsed.GetAsync(url);
            cached.StatusCode.ShouldBe(HttpStatusCode.OK, await cached.Content.ReadAsStringAsync());

            using var unknown = await withUnused.GetAsync(url);
            await unknown.ShouldBeFaultAsync(HttpStatusCode.ServiceUnavailable, "serviceUnavailable", "The Keystone service is temporarily unavailable.");
            await WaitForOutputAsync($"Keystone unavailable: Keystone at 127.0.0.1:{cloud.Keystone.Port} cannot be reached");
        }
        finally
        {
            // The same Keystone again (same keys and database): the other tests' tokens stay valid.
            await cloud.Keystone.StartAgainAsync();
        }

        // The 503 was not remembered as a refusal: once Keystone answers, the token is accepted.
        using var again = await withUnused.GetAsync(url);
        again.StatusCode.ShouldBe(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        await WaitForOutputAsync("Keystone answers again after");
    }

    private async Task WaitForOutputAsync(string text)
    {
        var started = Stopwatch.GetTimestamp();
        while (!cloud.Kiln.Output.Contains(text, StringComparison.Ordinal))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"Kiln never logged '{text}':\n{cloud.Kiln.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
