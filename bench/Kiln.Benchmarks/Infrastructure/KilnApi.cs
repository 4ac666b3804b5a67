using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>The few Cinder v3 calls the scenarios make, over one pooled loopback connection set.</summary>
internal sealed class KilnApi : IDisposable
{
    private const string Project = "bench";
    private readonly HttpClient http;
    private long requests;

    public KilnApi(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

        // Kiln's lifecycle fields (driver_state) come only to clients that ask for them.
        http.DefaultRequestHeaders.Add("X-Kiln-Extensions", "true");
    }

    /// <summary>Volume requests sent so far (POST, GET, DELETE of volumes), to report requests per cycle.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Each volume backend's <c>driver_state</c>, by <c>host@backend</c>.</summary>
    public async Task<Dictionary<string, string>> DriverStatesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/{Project}/os-services?binary=cinder-volume");
        request.Headers.Add("OpenStack-API-Version", "volume 3.49");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var body = await JsonDocument.ParseAsync(stream);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in body.RootElement.GetProperty("services").EnumerateArray())
        {
            states[service.GetProperty("host").GetString()!] = service.GetProperty("driver_state").GetString() ?? "";
        }

        return states;
    }

    /// <summary>The HTTP status <paramref name="path"/> answers with; null when nothing answers (connection refused).</summary>
    public async Task<HttpStatusCode?> StatusOfAsync(string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task CreateTypeAsync(string name, string backendName)
    {
        var body = new { volume_type = new { name, extra_specs = new Dictionary<string, string> { ["volume_backend_name"] = backendName } } };
        using var response = await http.PostAsJsonAsync($"/v3/{Project}/types", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>POSTs a 1 GB volume; returns its id.</summary>
    public async Task<string> CreateVolumeAsync(string? type = null)
    {
        object volume = type is null ? new { size = 1 } : new { size = 1, volume_type = type };
        Interlocked.Increment(ref requests);
        using var response = await http.PostAsJsonAsync($"/v3/{Project}/volumes", new { volume });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST volume answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        using var document = await JsonDocument.ParseAsync(stream);
        return document.RootElement.GetProperty("volume").GetProperty("id").GetString()!;
    }

    /// <summary>The volume's status, or null when it is gone (404).</summary>
    /// <summary>The volume's JSON as the API returns it, for error messages.</summary>
    public Task<string> VolumeJsonAsync(string id) => http.GetStringAsync($"/v3/{Project}/volumes/{id}");

    public async Task<string?> VolumeStatusAsync(string id)
    {
        Interlocked.Increment(ref requests);
        using var response = await http.GetAsync($"/v3/{Project}/volumes/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var document = await JsonDocument.ParseAsync(stream);
        return document.RootElement.GetProperty("volume").GetProperty("status").GetString();
    }

    public async Task DeleteVolumeAsync(string id)
    {
        Interlocked.Increment(ref requests);
        using var response = await http.DeleteAsync($"/v3/{Project}/volumes/{id}");
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            throw new InvalidOperationException($"DELETE volume answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Polls until the volume leaves its transitional status; returns the status it settled in (null: gone).
    /// The first poll is immediate, then the wait doubles from <paramref name="poll"/> up to 8 times it, as a
    /// patient client would: a fixed 1 ms poll measures mostly the cost of the polls.
    /// </summary>
    public async Task<string?> SettleAsync(string id, TimeSpan poll, TimeSpan timeout)
    {
        var start = Clock.Now();
        var wait = poll;
        while (true)
        {
            var status = await VolumeStatusAsync(id);
            if (status is not ("creating" or "deleting"))
            {
                return status;
            }

            if (Clock.MillisecondsSince(start) > timeout.TotalMilliseconds)
            {
                throw new TimeoutException($"volume {id} still {status} after {timeout.TotalSeconds} s");
            }

            await Clock.Pause(wait);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, poll.Ticks * 8));
        }
    }

    public void Dispose() => http.Dispose();
}
