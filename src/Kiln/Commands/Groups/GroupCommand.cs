using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Groups;

/// <summary>
/// <c>kiln group list|show|create|delete</c>, <c>kiln group type list|create</c> and
/// <c>kiln group snapshot list|create|delete</c>: Cinder's generic volume groups.
/// </summary>
internal static class GroupCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();

        // The nested nouns carry no options of their own: --url, --project and -o are the group noun's.
        var types = new Command("type", "List and create group types (creating is for administrators).") { ListTypes(options, time), CreateType(options, time) };
        var snapshots = new Command("snapshot", "List, take and delete group snapshots (one snapshot of every volume of a group, as a set).")
        {
            ListSnapshots(options, time),
            CreateSnapshot(options, time),
            DeleteSnapshot(options, time),
        };
        return options.Noun(
            "group",
            "Create, list, show and delete volume groups; their types and snapshots.",
            List(options, time),
            Show(options, time),
            CreateGroup(options, time),
            Delete(options, time),
            types,
            snapshots);
    }

    private static Command List(ClientOptions options, TimeProvider time)
    {
        var all = new Option<bool>("--all-projects") { Description = "Every project's groups (administrators)." };
        var command = new Command("list", "List the project's groups.") { all };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var groups = await run.Api.ListGroupsAsync(run.Get(all), cancellationToken).ConfigureAwait(false);
            run.Output.Show(groups, g =>
            {
                var table = run.Output.NewTable("ID", "Name", "Status", "Group type", "Volume types");
                foreach (var group in g)
                {
                    table.AddRow(Cells.Text(group.Id), Cells.Text(group.Name), Cells.Status(group.Status), Cells.Text(group.GroupType), Cells.Text(string.Join(", ", group.VolumeTypes)));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
    }

    private static Command Show(ClientOptions options, TimeProvider time)
    {
        var group = new Argument<string>("group") { Description = "Group id or name." };
        var command = new Command("show", "Show a group.") { group };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var found = await FindAsync(run.Api, run.Get(group), cancellationToken).ConfigureAwait(false);
            run.Output.Show(found, g => Details(run.Output, g));
            return ExitCodes.Ok;
        });
    }

    private static Command CreateGroup(ClientOptions options, TimeProvider time)
    {
        var groupType = new Option<string>("--group-type") { Description = "Group type id or name.", Required = true };
        var volumeTypes = new Option<string[]>("--volume-type")
        {
            Description = "A volume type the group's volumes may have (id or name); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var name = new Option<string?>("--name") { Description = "Group name." };
        var description = new Option<string?>("--description") { Description = "Group description." };
        var command = new Command("create", "Create a group; it is creating until the scheduler finds a backend for all its volume types.")
        {
            groupType, volumeTypes, name, description,
        };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var created = await run.Api.CreateGroupAsync(run.Get(groupType)!, run.Get(volumeTypes) ?? [], run.Get(name), run.Get(description), cancellationToken).ConfigureAwait(false);
            run.Output.Show(created, g => Details(run.Output, g));
            return ExitCodes.Ok;
        });
    }

    private static Command Delete(ClientOptions options, TimeProvider time)
    {
        var group = new Argument<string>("group") { Description = "Group id or name." };
        var deleteVolumes = new Option<bool>("--delete-volumes") { Description = "Delete the group's volumes with it (a group with volumes is refused otherwise)." };
        var command = new Command("delete", "Delete a group.") { group, deleteVolumes };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var found = await FindAsync(run.Api, run.Get(group), cancellationToken).ConfigureAwait(false);
            await run.Api.DeleteGroupAsync(found.Id, run.Get(deleteVolumes), cancellationToken).ConfigureAwait(false);
            run.Output.Report(new DeletionRecord(found.Id, "deleting"), $"Group {found.Id} is being deleted.");
            return ExitCodes.Ok;
        });
    }

    private static Command ListTypes(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List group types with their group specs.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var types = await run.Api.ListGroupTypesAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(types, t =>
            {
                var table = run.Output.NewTable("ID", "Name", "Public", "Group specs");
                foreach (var type in t)
                {
                    table.AddRow(Cells.Text(type.Id), Cells.Text(type.Name), Cells.Text(type.IsPublic?.ToString()), Cells.Map(type.GroupSpecs));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
    }

    private static Command CreateType(ClientOptions options, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "Group type name; unique." };
        var specs = new Argument<string[]>("specs")
        {
            Description = "Group specs as key=value, for example consistent_group_snapshot_enabled=\"<is> True\".",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "key=value",
        };
        specs.Validators.Add(result =>
        {
            foreach (var spec in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (spec.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"'{spec}' is not key=value: give each spec as key=value, for example consistent_group_snapshot_enabled=\"<is> True\"");
                }
            }
        });
        var description = new Option<string?>("--description") { Description = "Group type description." };
        var isPrivate = new Option<bool>("--private") { Description = "Visible to administrators only." };
        var command = new Command("create", "Create a group type (administrators).") { name, specs, description, isPrivate };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var keys = (run.Get(specs) ?? []).Select(s => s.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
            var created = await run.Api.CreateGroupTypeAsync(run.Get(name), run.Get(description), !run.Get(isPrivate), keys, cancellationToken).ConfigureAwait(false);
            run.Output.Show(created, t => run.Output.NewDetailsTable(
            [
                ("id", Cells.Text(t.Id)),
                ("name", Cells.Text(t.Name)),
                ("description", Cells.Text(t.Description)),
                ("public", Cells.Text(t.IsPublic?.ToString())),
                ("group specs", Cells.Map(t.GroupSpecs)),
            ]));
            return ExitCodes.Ok;
        });
    }

    private static Command ListSnapshots(ClientOptions options, TimeProvider time)
    {
        var all = new Option<bool>("--all-projects") { Description = "Every project's group snapshots (administrators)." };
        var command = new Command("list", "List the project's group snapshots.") { all };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var snapshots = await run.Api.ListGroupSnapshotsAsync(run.Get(all), cancellationToken).ConfigureAwait(false);
            run.Output.Show(snapshots, s => SnapshotTable(run.Output, s));
            return ExitCodes.Ok;
        });
    }

    private static Command CreateSnapshot(ClientOptions options, TimeProvider time)
    {
        var group = new Argument<string>("group") { Description = "Group id or name; it must be available." };
        var name = new Option<string?>("--name") { Description = "Group snapshot name." };
        var command = new Command("create", "Snapshot every volume of a group as one set.") { group, name };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var found = await FindAsync(run.Api, run.Get(group), cancellationToken).ConfigureAwait(false);
            var created = await run.Api.CreateGroupSnapshotAsync(found.Id, run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Output.Show(created, s => SnapshotTable(run.Output, [s]));
            return ExitCodes.Ok;
        });
    }

    private static Command DeleteSnapshot(ClientOptions options, TimeProvider time)
    {
        var snapshot = new Argument<string>("group-snapshot") { Description = "Group snapshot id." };
        var command = new Command("delete", "Delete a group snapshot and the snapshots it took.") { snapshot };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var id = run.Get(snapshot);
            await run.Api.DeleteGroupSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
            run.Output.Report(new DeletionRecord(id, "deleting"), $"Group snapshot {id} is being deleted.");
            return ExitCodes.Ok;
        });
    }

    /// <summary>A group by id, else by name among the project's groups (the API finds groups by id only).</summary>
    private static async Task<GroupRecord> FindAsync(KilnApiClient api, string wanted, CancellationToken cancellationToken)
    {
        var all = await api.ListGroupsAsync(allProjects: false, cancellationToken).ConfigureAwait(false);
        var matches = all.Where(g => g.Id == wanted).ToList() is { Count: 1 } byId ? byId : all.Where(g => g.Name == wanted).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException(ExitCodes.NotFound, $"no group has id or name '{wanted}'"),
            _ => throw new CliException(ExitCodes.Conflict, $"{matches.Count} groups are named '{wanted}'; give the id"),
        };
    }

    private static Table Details(CliOutput output, GroupRecord g) => output.NewDetailsTable(
    [
        ("id", Cells.Text(g.Id)),
        ("name", Cells.Text(g.Name)),
        ("description", Cells.Text(g.Description)),
        ("status", Cells.Status(g.Status)),
        ("group type", Cells.Text(g.GroupType)),
        ("volume types", Cells.Text(string.Join(", ", g.VolumeTypes))),
        ("availability zone", Cells.Text(g.AvailabilityZone)),
        ("created", Cells.Text(Timestamps.Format(g.CreatedAt))),
    ]);

    private static Table SnapshotTable(CliOutput output, IReadOnlyList<GroupSnapshotRecord> snapshots)
    {
        var table = output.NewTable("ID", "Name", "Status", "Group", "Created");
        foreach (var s in snapshots)
        {
            table.AddRow(Cells.Text(s.Id), Cells.Text(s.Name), Cells.Status(s.Status), Cells.Text(s.GroupId), Cells.Text(Timestamps.Format(s.CreatedAt)));
        }

        return table;
    }
}
