using Kiln.Core.Volumes;

namespace Kiln.Server.Persistence;

/// <summary>A sort key of a list request (<c>created_at</c>) and the entity property it orders by.</summary>
internal sealed record SortColumn(string Key, string Property, bool Nullable)
{
    public static readonly SortColumn CreatedAt = new("created_at", nameof(IListedEntity.CreatedAt), Nullable: false);
    public static readonly SortColumn UpdatedAt = new("updated_at", nameof(IListedEntity.UpdatedAt), Nullable: true);
    public static readonly SortColumn Id = new("id", nameof(IListedEntity.Id), Nullable: false);
    public static readonly SortColumn Name = new("name", nameof(IListedEntity.Name), Nullable: true);
    public static readonly SortColumn Size = new("size", nameof(IListedEntity.Size), Nullable: false);
    public static readonly SortColumn Status = new("status", nameof(IListedEntity.Status), Nullable: false);

    private static readonly SortColumn[] All = [CreatedAt, UpdatedAt, Id, Name, Size, Status];

    /// <summary>
    /// The columns to order by: the requested keys, then <c>id</c> so that rows equal on every key
    /// still have one order and pages neither repeat nor skip them. With no keys, Cinder's default:
    /// newest first.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not one of the sortable columns.</exception>
    public static IReadOnlyList<(SortColumn Column, bool Descending)> Resolve(IReadOnlyList<SortKey> sort)
    {
        if (sort.Count == 0)
        {
            return [(CreatedAt, true), (Id, true)];
        }

        var order = sort.Select(key => (Find(key.Key), key.Descending)).ToList();
        if (!order.Exists(o => o.Item1 == Id))
        {
            // Like Cinder, the added key takes the direction of the first one.
            order.Add((Id, sort[0].Descending));
        }

        return order;
    }

    private static SortColumn Find(string key) =>
        Array.Find(All, c => string.Equals(c.Key, key, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown sort key '{key}'; expected one of {string.Join(", ", All.Select(c => c.Key))}.", nameof(key));
}
