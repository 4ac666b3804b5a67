using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>Reads Kiln's os-services over HTTP as a Kiln-aware client (the kiln CLI) does: with Kiln's lifecycle fields asked for.</summary>
internal sealed class KilnClient : IDisposable
{
    private readonly HttpClient http;

    public KilnClient(Uri baseAddress)
    {
        http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Kiln-Extensions", "true");
    }

    public HttpClient Http => http;

    public async Task<JsonElement> BackendAsync(string host, string version = "3.49")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/admin/os-services?binary=cinder-volume");
        request.Headers.Add("OpenStack-API-Version", $"volume {version}");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("host").GetString() == host);
    }

    public async Task<string> StateAsync(string host) => (await BackendAsync(host)).GetProperty("driver_state").GetString()!;

    public async Task<HttpResponseMessage> ReinitAsync(string host) =>
        await http.PutAsJsonAsync("/v3/admin/os-services/reinit", new { host });

    /// <summary>Polls until <paramref name="state"/> or the deadline; returns the time it took.</summary>
    public async Task<TimeSpan> WaitForStateAsync(string host, string state, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        string? last = null;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            last = await StateAsync(host);
            if (last == state)
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException($"{host} did not reach {state} within {timeout.TotalSeconds} s; last state {last}");
    }

    public void Dispose() => http.Dispose();
}
