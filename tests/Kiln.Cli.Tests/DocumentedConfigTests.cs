using System.Text.RegularExpressions;

namespace Kiln.Cli.Tests;

/// <summary>
/// The kiln.conf examples of the README and the configuration docs are valid as written (<c>kiln config
/// check</c> says so), and what the docs claim about a rule is what the check does. A block marked
/// <c>&lt;!-- fragment: … --&gt;</c> on the line before shows syntax only and is left out.
/// </summary>
public sealed partial class DocumentedConfigTests : IDisposable
{
    private static readonly string[] Documents = ["README.md", "docs/configuration.md", "docs/admin/driver-reinitialization.md"];

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-doc-config-");

    public void Dispose() => dir.Delete(recursive: true);

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var document in Documents)
        {
            for (var i = 0; i < Blocks(document).Count; i++)
            {
                data.Add(document, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task DocumentedExample_ConfigCheck_IsValid(string document, int index)
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(path, Blocks(document)[index], TestContext.Current.CancellationToken);

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);

        result.ExitCode.ShouldBe(0, $"ini block {index + 1} of {document}:\n{Blocks(document)[index]}\n{result.Stdout}{result.Stderr}");
    }

    [Fact]
    public void Documents_HaveExamples()
    {
        Blocks("README.md").ShouldNotBeEmpty();
        Blocks("docs/configuration.md").Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task ConfigurationDoc_ShortPollingIntervalAlone_IsAcceptedAsDocumented()
    {
        var doc = await File.ReadAllTextAsync(Repository.PathOf("docs/configuration.md"), TestContext.Current.CancellationToken);
        doc.ShouldContain("(`backend_stats_polling_interval = 5`)\n  is accepted");
        var path = Write("[DEFAULT]\nenabled_backends = fast\nbackend_stats_polling_interval = 5\n\n[fast]\nvolume_driver = fault\n");

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);

        result.ShouldSucceedWithTable().ShouldStartWith($"{path}: valid (0 errors, 0 warnings)");
    }

    [Fact]
    public async Task ConfigurationDoc_BackoffCapBelowInitial_IsRefusedWithTheDocumentedMessage()
    {
        var doc = await File.ReadAllTextAsync(Repository.PathOf("docs/configuration.md"), TestContext.Current.CancellationToken);
        var path = Write("[DEFAULT]\nenabled_backends = fast\nreinit_backoff_initial = 30\nreinit_backoff_max = 20\n\n[fast]\nvolume_driver = fault\n");

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);

        result.ShouldExitWith(ExitCodes.Usage);
        var message = result.Stdout.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        message.ShouldStartWith($"error: {path}:4: ");
        var documented = message["error: ".Length..message.IndexOf(" — ", StringComparison.Ordinal)].Replace(path, "/etc/kiln/kiln.conf", StringComparison.Ordinal);
        doc.ShouldContain($"`kiln: {documented}`");
    }

    private string Write(string text)
    {
        var path = Path.Combine(dir.FullName, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private static List<string> Blocks(string document)
    {
        var text = File.ReadAllText(Repository.PathOf(document));
        return [.. IniBlock().Matches(text).Where(m => !m.Groups["fragment"].Success).Select(m => m.Groups["code"].Value)];
    }

    [GeneratedRegex(@"(?<fragment><!-- fragment:[^\n]*-->\n)?^```ini\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex IniBlock();
}
