namespace Kiln.Cli.Client;

/// <summary>Generic volume groups, group types and group snapshots (3.11–3.14; the client's pinned 3.49 covers them).</summary>
internal sealed partial class KilnApiClient
{
    public Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(bool allProjects, CancellationToken cancellationToken) =>
        ListAllAsync("groups/detail", "groups", [("all_tenants", allProjects ? "1" : null)], GroupRecord.FromJson, g => g.Id, cancellationToken);

    public async Task<GroupRecord> GetGroupAsync(string id, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"groups/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
        return GroupRecord.FromJson(body.GetProperty("group"));
    }

    /// <summary>Creates the group and returns it as shown right after (the create answers only id and name).</summary>
    public async Task<GroupRecord> CreateGroupAsync(string groupType, IReadOnlyList<string> volumeTypes, string? name, string? description, CancellationToken cancellationToken)
    {
        var group = new Dictionary<string, object?> { ["group_type"] = groupType, ["volume_types"] = volumeTypes };
        Add(group, "name", name);
        Add(group, "description", description);
        var body = await SendAsync(HttpMethod.Post, "groups", new Dictionary<string, object> { ["group"] = group }, cancellationToken).ConfigureAwait(false);
        return await GetGroupAsync(body.GetProperty("group").RequiredString("id"), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteGroupAsync(string id, bool deleteVolumes, CancellationToken cancellationToken)
    {
        var action = new Dictionary<string, object> { ["delete"] = new Dictionary<string, object> { ["delete-volumes"] = deleteVolumes } };
        await SendAsync(HttpMethod.Post, $"groups/{Uri.EscapeDataString(id)}/action", action, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<GroupTypeRecord>> ListGroupTypesAsync(CancellationToken cancellationToken) =>
        ListAllAsync("group_types", "group_types", [], GroupTypeRecord.FromJson, t => t.Id, cancellationToken);

    public async Task<GroupTypeRecord> CreateGroupTypeAsync(
        string name, string? description, bool isPublic, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        var type = new Dictionary<string, object?> { ["name"] = name, ["is_public"] = isPublic, ["group_specs"] = specs };
        Add(type, "description", description);
        var body = await SendAsync(HttpMethod.Post, "group_types", new Dictionary<string, object> { ["group_type"] = type }, cancellationToken).ConfigureAwait(false);
        return GroupTypeRecord.FromJson(body.GetProperty("group_type"));
    }

    public Task<IReadOnlyList<GroupSnapshotRecord>> ListGroupSnapshotsAsync(bool allProjects, CancellationToken cancellationToken) =>
        ListAllAsync("group_snapshots/detail", "group_snapshots", [("all_tenants", allProjects ? "1" : null)], GroupSnapshotRecord.FromJson, s => s.Id, cancellationToken);

    public async Task<GroupSnapshotRecord> CreateGroupSnapshotAsync(string groupId, string? name, CancellationToken cancellationToken)
    {
        var snapshot = new Dictionary<string, object?> { ["group_id"] = groupId };
        Add(snapshot, "name", name);
        var body = await SendAsync(HttpMethod.Post, "group_snapshots", new Dictionary<string, object> { ["group_snapshot"] = snapshot }, cancellationToken).ConfigureAwait(false);
        var id = body.GetProperty("group_snapshot").RequiredString("id");
        var shown = await SendAsync(HttpMethod.Get, $"group_snapshots/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
        return GroupSnapshotRecord.FromJson(shown.GetProperty("group_snapshot"));
    }

    public async Task DeleteGroupSnapshotAsync(string id, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"group_snapshots/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
}
