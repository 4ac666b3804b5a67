namespace Kiln.Cli.Identity;

/// <summary>A user, project or domain given by id or by name; the id wins when both are set, as in keystoneauth.</summary>
internal sealed record NamedRef(string? Id, string? Name)
{
    public static NamedRef? Of(string? id, string? name) => id is null && name is null ? null : new NamedRef(id, id is null ? name : null);

    /// <summary><c>id 'abc'</c> or <c>'demo'</c>, for messages.</summary>
    public override string ToString() => Id is not null ? $"id '{Id}'" : $"'{Name}'";
}
