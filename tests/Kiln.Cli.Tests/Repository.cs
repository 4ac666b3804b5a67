namespace Kiln.Cli.Tests;

/// <summary>The repository the tests run from (found by walking up to Kiln.slnx): its script and docs are under test too.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var current = new DirectoryInfo(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "Kiln.slnx")))
            {
                return current.FullName;
            }
        }

        throw new InvalidOperationException($"Kiln.slnx not found above {AppContext.BaseDirectory}");
    }
}
