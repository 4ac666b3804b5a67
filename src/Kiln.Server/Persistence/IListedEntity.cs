namespace Kiln.Server.Persistence;

/// <summary>The columns a list request filters and sorts on, shared by volumes and snapshots.</summary>
internal interface IListedEntity
{
    string Id { get; }

    string ProjectId { get; }

    string? Name { get; }

    int Size { get; }

    string Status { get; }

    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? UpdatedAt { get; }
}
