using System.CommandLine;

namespace Kiln.Cli.Commands.Common;

/// <summary>
/// <c>--url</c>, <c>--project</c> and <c>--output</c>, shared by every command of a noun (recursive,
/// so <c>kiln volume --url X list</c> and <c>kiln volume list --url X</c> both work).
/// </summary>
internal sealed class ClientOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Kiln API endpoint: the root (http://host:8776) or a project's (…/v3/PROJECT). Default: ${KilnTarget.UrlVariable}, else Keystone's catalog with $OS_AUTH_URL, else {KilnUrl.DefaultText}.",
        Recursive = true,
        HelpName = "URL",
    };

    public Option<string?> Project { get; } = new("--project")
    {
        Description = $"Project (tenant) id, for noauth. Default: ${KilnTarget.ProjectVariable}, else {KilnTarget.DefaultProject}. With Keystone the project is the token's.",
        Recursive = true,
        HelpName = "ID",
    };

    public Option<string> Output { get; } = OutputOption.Create();

    /// <summary>A noun command (volume, snapshot, …) carrying the options for all its subcommands.</summary>
    public Command Noun(string name, string description, params Command[] subcommands)
    {
        var command = new Command(name, description) { Url, Project, Output };
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }
}
