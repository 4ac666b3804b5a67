namespace Kiln.Core.Volumes;

/// <summary>Which volume types a project may use, and the type its volumes get when a create names none.</summary>
public interface IProjectTypes
{
    /// <summary>Whether <paramref name="projectId"/> has been given access to the private type <paramref name="typeId"/>.</summary>
    Task<bool> HasAccessAsync(string typeId, string projectId, CancellationToken cancellationToken);

    /// <summary>The project's default type id (3.62), or null when it has none.</summary>
    Task<string?> DefaultTypeIdAsync(string projectId, CancellationToken cancellationToken);
}
