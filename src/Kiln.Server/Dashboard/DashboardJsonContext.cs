using System.Text.Json.Serialization;

namespace Kiln.Server.Dashboard;

/// <summary>Source-generated JSON for the dashboard: the re-init button's values and a volume's JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ErrorVolume))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
