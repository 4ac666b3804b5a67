using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Starting Kiln with quota options, and the keys and bodies the quota tests expect.</summary>
internal static class QuotaApi
{
    /// <summary>The resources of a quota set with only the <c>__DEFAULT__</c> volume type.</summary>
    public static readonly string[] Resources =
    [
        "volumes", "snapshots", "gigabytes", "backups", "backup_gigabytes", "per_volume_gigabytes", "groups",
        "volumes___DEFAULT__", "snapshots___DEFAULT__", "gigabytes___DEFAULT__",
    ];

    /// <summary>Kiln with the ready <c>fast</c> backend and <paramref name="defaults"/> in [DEFAULT].</summary>
    public static async Task<TestServer> StartAsync(string defaults = "")
    {
        var server = await TestServer.StartAsync("fast", OneBackend, defaults: defaults);
        await WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        return server;
    }

    public static Task<JsonElement> SetQuotasAsync(TestServer server, string project, string fields) =>
        CallAsync(server, HttpMethod.Put, $"os-quota-sets/{project}", $$$"""{"quota_set": {{{{fields}}}}}""", HttpStatusCode.OK);

    /// <summary>Asserts Cinder's 413 (<c>overLimit</c> with <c>retryAfter</c> and <c>Retry-After: 0</c>) and returns the message.</summary>
    public static async Task<string> OverLimitAsync(TestServer server, HttpMethod method, string path, string body)
    {
        using var response = await SendAsync(server, method, path, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, text);
        response.Headers.RetryAfter?.ToString().ShouldBe("0");
        var fault = JsonDocument.Parse(text).RootElement.GetProperty("overLimit");
        fault.GetProperty("code").GetInt32().ShouldBe(413);
        fault.GetProperty("retryAfter").GetString().ShouldBe("0");
        fault.EnumerateObject().Select(p => p.Name).ShouldBe(["code", "message", "retryAfter"], ignoreOrder: true);
        return fault.GetProperty("message").GetString()!;
    }

    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
