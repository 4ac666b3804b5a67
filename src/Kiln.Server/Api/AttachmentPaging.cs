using Kiln.Core.Attachments;
using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Sorting and paging of an attachment list, done on the project's attachments in memory: a project
/// has about one attachment per attached volume, few enough that a keyset query would buy nothing.
/// </summary>
internal static class AttachmentPaging
{
    /// <summary>Cinder's attachment sort keys Kiln orders by.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["created_at", "updated_at", "id", "status", "attach_status", "volume_id", "instance_uuid"];

    /// <summary>The page after the marker (false when the marker is not among the attachments), then <paramref name="offset"/> skipped and the limit applied.</summary>
    public static (IReadOnlyList<VolumeAttachment> Page, bool MarkerFound) Page(IReadOnlyList<VolumeAttachment> all, ListQuery query, int offset)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = query.Sort.Count == 0 ? [new SortKey("created_at", true), new SortKey("id", true)] : query.Sort.Append(new SortKey("id", query.Sort[0].Descending)).ToList();
        var sorted = all.ToList();
        sorted.Sort((a, b) =>
        {
            foreach (var key in keys)
            {
                var compared = Compare(a, b, key.Key);
                if (compared != 0)
                {
                    return key.Descending ? -compared : compared;
                }
            }

            return 0;
        });

        var start = 0;
        if (query.Marker is { } marker)
        {
            var index = sorted.FindIndex(a => a.Id == marker);
            if (index < 0)
            {
                return ([], false);
            }

            start = index + 1;
        }

        var rest = sorted.Skip(start + offset);
        return ([.. query.Limit is { } limit ? rest.Take(limit) : rest], true);
    }

    private static int Compare(VolumeAttachment a, VolumeAttachment b, string key) => key switch
    {
        "created_at" => a.CreatedAt.CompareTo(b.CreatedAt),
        "updated_at" => Nullable.Compare(a.UpdatedAt, b.UpdatedAt),
        "status" or "attach_status" => string.CompareOrdinal(a.Status.ToWireName(), b.Status.ToWireName()),
        "volume_id" => string.CompareOrdinal(a.VolumeId, b.VolumeId),
        "instance_uuid" => string.CompareOrdinal(a.InstanceUuid, b.InstanceUuid),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };
}
