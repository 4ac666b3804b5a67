using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>Volume calls in Cinder's wire format against a running Kiln.</summary>
internal sealed class VolumeApi(HttpClient http, string project = "admin")
{
    public static readonly string[] Transitional = ["creating", "deleting", "extending"];

    public async Task<(HttpStatusCode Status, string? Id)> CreateAsync(int size, string? name = null)
    {
        using var response = await http.PostAsJsonAsync($"/v3/{project}/volumes", new { volume = new { size, name } });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (response.StatusCode, null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.GetProperty("volume").GetProperty("id").GetString());
    }

    public async Task<HttpStatusCode> DeleteAsync(string id)
    {
        using var response = await http.DeleteAsync($"/v3/{project}/volumes/{id}");
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> ExtendAsync(string id, int newSize)
    {
        using var response = await http.PostAsJsonAsync($"/v3/{project}/volumes/{id}/action", new Dictionary<string, object> { ["os-extend"] = new { new_size = newSize } });
        return response.StatusCode;
    }

    /// <summary>The volume, or null when it no longer exists.</summary>
    public async Task<JsonElement?> ShowAsync(string id)
    {
        using var response = await http.GetAsync($"/v3/{project}/volumes/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("volume");
    }

    public async Task<string?> StatusAsync(string id) => (await ShowAsync(id))?.GetProperty("status").GetString();

    public async Task<IReadOnlyList<JsonElement>> ListAsync()
    {
        var body = await http.GetFromJsonAsync<JsonElement>($"/v3/{project}/volumes/detail?limit=1000");
        return [.. body.GetProperty("volumes").EnumerateArray()];
    }

    /// <summary>Polls until no listed volume is in a transitional status.</summary>
    public async Task<IReadOnlyList<JsonElement>> SettleAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var volumes = await ListAsync();
            var busy = volumes.Where(v => Transitional.Contains(v.GetProperty("status").GetString())).ToList();
            if (busy.Count == 0)
            {
                return volumes;
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"{busy.Count} volumes still transitional: {string.Join(", ", busy.Select(v => $"{v.GetProperty("id")}={v.GetProperty("status")}"))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public async Task WaitForStatusAsync(string id, string status, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        string? last = null;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            last = await StatusAsync(id);
            if (last == status)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException($"volume {id} did not reach {status} within {timeout.TotalSeconds} s; last {last ?? "gone"}");
    }

    public async Task WaitGoneAsync(string id, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (await ShowAsync(id) is not null)
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"volume {id} still exists after {timeout.TotalSeconds} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
