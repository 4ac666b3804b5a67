using Kiln.Core.Volumes;

namespace Kiln.Server.Types;

/// <summary><see cref="IProjectTypes"/> from the type access and default type tables.</summary>
internal sealed class ProjectTypes(TypeAccessStore access, DefaultTypeStore defaults) : IProjectTypes
{
    public Task<bool> HasAccessAsync(string typeId, string projectId, CancellationToken cancellationToken) =>
        access.HasAccessAsync(typeId, projectId, cancellationToken);

    public async Task<string?> DefaultTypeIdAsync(string projectId, CancellationToken cancellationToken) =>
        (await defaults.FindAsync(projectId, cancellationToken).ConfigureAwait(false))?.VolumeTypeId;
}
