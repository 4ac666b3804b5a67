using System.Text.Json.Serialization;

namespace Kiln.Server.Identity.Keystone;

/// <summary>Source-generated JSON for Keystone's token API: snake_case names, nulls left out of requests.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeystoneTokenEnvelope))]
[JsonSerializable(typeof(PasswordAuthRequest))]
internal sealed partial class KeystoneJsonContext : JsonSerializerContext;
