using System.Text.Json;
using Kiln.Core.Drivers;

namespace Kiln.Server.Persistence;

/// <summary>
/// A backend's last stats as stored in <c>services.stats</c>: JSON with Cinder's snake_case stats
/// names (<c>total_capacity_gb</c>), so the column reads like the stats Cinder's scheduler gets.
/// </summary>
internal static class BackendStatsJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Serialize(BackendStats stats) => JsonSerializer.Serialize(stats, Options);

    public static BackendStats? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize<BackendStats>(json, Options);
}
