using System.Text.RegularExpressions;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Policy;

namespace Kiln.Cli.Commands.Config;

/// <summary>
/// Validates kiln.conf offline with the server's own code: the loader (global options, environment
/// overrides), then for each backend its lifecycle options and driver, as <c>kiln serve</c> would.
/// </summary>
internal static partial class ConfigChecker
{
    private static readonly string[] BackoffOptions =
        [LifecycleOptions.StatsPollingIntervalOption, LifecycleOptions.ReinitBackoffInitialOption, LifecycleOptions.ReinitBackoffMaxOption];

    public const string StartupStops = "kiln serve stops at start-up with exit code 2";

    public static ConfigReport Check(string? path, IReadOnlyDictionary<string, string> environment, DriverCatalog drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        KilnConfiguration configuration;
        try
        {
            configuration = KilnConfigurationLoader.Load(path, environment);
        }
        catch (KilnConfigurationException ex)
        {
            // The loader stops at the first bad global value, as start-up does; nothing after it can be checked.
            return new ConfigReport(false, SourceName(path), [], [Problem(ex.Message, StartupStops)], [], []);
        }

        IReadOnlyList<string> policyWarnings;

        // The policy file is part of the configuration: start-up reads and parses it before anything else.
        try
        {
            policyWarnings = PolicyEnforcerLoader.Load(configuration.Policy).Warnings;
        }
        catch (KilnConfigurationException ex)
        {
            return new ConfigReport(false, SourceName(path), [], [Problem(ex.Message, StartupStops)], [], []);
        }

        var backends = new List<BackendCheck>();
        var errors = new List<ConfigProblem>();
        var warnings = new List<string>([.. configuration.Warnings, .. policyWarnings]);
        var notes = new List<string>();
        foreach (var section in configuration.Backends)
        {
            var problems = BackendProblems(section, drivers, warnings);
            var effect = $"backend {section.Name} is unrecoverable; kiln serve and the other backends start";
            errors.AddRange(problems.Select(message => Problem(message, effect)));
            backends.Add(new BackendCheck(section.Name, section.GetString(DriverCatalog.VolumeDriverOption)?.Trim(), problems.Count == 0));
            if (UnlimitedReinit(section) is { } note)
            {
                notes.Add(note);
            }
        }

        return new ConfigReport(errors.Count == 0, configuration.SourcePath ?? EmbeddedDefaults.SourceName, backends, errors, warnings, notes);
    }

    /// <summary>Every problem of one backend section, not just the first as start-up reports it.</summary>
    private static List<string> BackendProblems(BackendSection section, DriverCatalog drivers, List<string> warnings)
    {
        var problems = new List<string>();
        var bad = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // LifecycleOptions.Parse stops at the first bad value, so each option is parsed alone (the
        // others at their defaults) to find every bad one.
        foreach (var option in LifecycleOptions.OptionNames)
        {
            if (section.GetString(option) is not { } value)
            {
                continue;
            }

            var alone = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [option] = value };
            if (option == LifecycleOptions.ReinitBackoffMaxOption)
            {
                // Alone, the cap would be compared with the default initial delay; only its range is checked here.
                alone[LifecycleOptions.ReinitBackoffInitialOption] = "0.001";
            }

            if (AddProblem(problems, () => LifecycleOptions.Parse(new BackendSection(section.Name, alone))))
            {
                bad.Add(option);
            }
        }

        // The rule between options (the backoff cap not below the initial delay), once their values are usable.
        if (!BackoffOptions.Any(bad.Contains))
        {
            var backoff = BackoffOptions
                .Where(o => section.GetString(o) is not null)
                .ToDictionary(o => o, o => section.GetString(o)!, StringComparer.OrdinalIgnoreCase);
            AddProblem(problems, () => LifecycleOptions.Parse(new BackendSection(section.Name, backoff)));
        }

        IVolumeDriverFactory? factory = null;
        AddProblem(problems, () => factory = drivers.Resolve(section));
        // An upstream Cinder driver's options are known only to oslo.config in its host process, which warns at start-up.
        if (factory is not null and not Kiln.Drivers.Cinder.CinderDriverFactory)
        {
            // The same warning the backend logs at start-up.
            warnings.AddRange(section.Keys
                .Where(key => !DriverCatalog.CommonOptions.Contains(key) && !factory.OptionNames.Contains(key, StringComparer.OrdinalIgnoreCase))
                .Select(key => $"[{section.Name}] {key} is not an option of the {factory.Name} driver and is ignored"));
        }

        return problems;
    }

    /// <summary>
    /// <c>reinit_driver_count = 0</c> (set in the section or inherited from [DEFAULT]) is valid, but means the
    /// opposite of what it means in Cinder Zed, which reads 0 as "never retry": said once per backend.
    /// </summary>
    private static string? UnlimitedReinit(BackendSection section) =>
        section.GetString(LifecycleOptions.ReinitDriverCountOption) is { } text
        && int.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
        && count == 0
            ? $"[{section.Name}] reinit_driver_count = 0 means unlimited re-initializations in Kiln; in Cinder Zed it means no retry at all. "
              + "Kiln keeps retrying this backend after recoverable failures, backing off up to reinit_backoff_max; set a number to cap the attempts"
            : null;

    /// <summary>Runs <paramref name="check"/>; returns whether it found a problem.</summary>
    private static bool AddProblem(List<string> problems, Action check)
    {
        try
        {
            check();
            return false;
        }
        catch (DriverConfigurationException ex)
        {
            problems.Add(ex.Message);
            return true;
        }
    }

    /// <summary>Section and option are read back from the message, which always names them as <c>[section] option</c>.</summary>
    private static ConfigProblem Problem(string message, string effect)
    {
        var match = SectionAndOption().Match(message);
        return match.Success
            ? new ConfigProblem(match.Groups["section"].Value, match.Groups["option"].Value, message, effect)
            : new ConfigProblem(null, null, message, effect);
    }

    private static string SourceName(string? path)
    {
        if (path is null)
        {
            return EmbeddedDefaults.SourceName;
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    [GeneratedRegex(@"\[(?<section>[^\]\s]+)\] (?<option>[A-Za-z0-9_.\-]+)")]
    private static partial Regex SectionAndOption();
}
