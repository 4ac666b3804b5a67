using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>
/// A volume transfer as the CLI shows it; serialized as-is (snake_case) by <c>--output json</c>.
/// <see cref="AuthKey"/> is there only in the answer to a create: Kiln never shows it again.
/// </summary>
internal sealed record TransferRecord(string Id, string? Name, string VolumeId, DateTimeOffset? CreatedAt, string? AuthKey)
{
    public static TransferRecord FromJson(JsonElement transfer) => new(
        Id: transfer.RequiredString("id"),
        Name: transfer.String("name"),
        VolumeId: transfer.RequiredString("volume_id"),
        CreatedAt: transfer.Timestamp("created_at"),
        AuthKey: transfer.String("auth_key"));
}
