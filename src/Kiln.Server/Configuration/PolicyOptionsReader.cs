using Kiln.Server.Policy;

namespace Kiln.Server.Configuration;

/// <summary>
/// Reads <c>[oslo_policy]</c>. A relative <c>policy_file</c> is taken from the directory of
/// kiln.conf, as oslo.policy looks beside the configuration file (from the current directory when
/// Kiln runs on its embedded defaults). Whether the file exists is for <see cref="PolicyEnforcerLoader"/>.
/// </summary>
internal static class PolicyOptionsReader
{
    public static PolicyOptions Read(ConfiguredOptions options, string? sourcePath)
    {
        var section = new SectionReader(PolicyOptions.Section, options.FindSection(PolicyOptions.Section));
        var configured = section.Find(PolicyOptions.PolicyFileOption);
        var directory = sourcePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(sourcePath)!;
        var file = section.Read(PolicyOptions.PolicyFileOption, Path.Combine(directory, PolicyOptions.DefaultPolicyFile), text => FullPath(directory, text));

        return new PolicyOptions(
            file,
            PolicyFileRequired: configured is not null,
            EnforceNewDefaults: section.Read(PolicyOptions.EnforceNewDefaultsOption, false, OptionParsers.Boolean),
            EnforceScope: section.Read(PolicyOptions.EnforceScopeOption, false, OptionParsers.Boolean),
            Origin: configured?.Origin);
    }

    private static Parsed<string> FullPath(string directory, string text)
    {
        const string Expected = "expected the path of a policy file (relative to the directory of kiln.conf)";
        if (string.IsNullOrWhiteSpace(text))
        {
            return Parsed<string>.Invalid(Expected);
        }

        try
        {
            return Parsed<string>.Ok(Path.GetFullPath(Path.Combine(directory, text)));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Parsed<string>.Invalid(Expected);
        }
    }
}
