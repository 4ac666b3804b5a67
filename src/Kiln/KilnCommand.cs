using System.CommandLine;

namespace Kiln.Cli;

/// <summary>The <c>kiln</c> command tree.</summary>
internal static class KilnCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Kiln: a self-healing block-storage service with the OpenStack Cinder v3 API.");
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }
}
