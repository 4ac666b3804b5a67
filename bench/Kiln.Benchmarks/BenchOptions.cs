using System.Globalization;
using System.Reflection;

namespace Kiln.Benchmarks;

/// <summary>What to run and where to write it; parsed from the command line.</summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllScenarios = ["startup", "recovery", "scale", "throughput", "scheduler"];

    public bool Quick { get; init; }

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>Where benchmarks.md and benchmarks.json go: docs/ for a full run, artifacts/bench-quick/ for a quick one.</summary>
    public required string OutputDirectory { get; init; }

    public required string KilnDll { get; init; }

    /// <summary>The <c>volume_driver</c> of the throughput scenario's backend.</summary>
    public string Driver { get; init; } = "fault";

    /// <summary>Extra options for the throughput backend's section; <c>{tmp}</c> is replaced by the scenario's scratch directory.</summary>
    public IReadOnlyList<string> DriverOptions { get; init; } = [];

    /// <summary>Concurrent clients of the throughput scenario, one row each.</summary>
    public IReadOnlyList<int> Clients { get; init; } = [1, 8, 32];

    /// <summary>Backends of the scale scenario.</summary>
    public int ScaleBackends { get; init; } = 1000;

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public const string Usage = """
        usage: kiln-bench [--quick] [--scenario NAME[,NAME…]] [--driver NAME] [--driver-option KEY=VALUE]…
                          [--clients N[,N…]] [--scale-backends N] [--out DIR] [--kiln PATH/kiln.dll]
          --quick            short trials (< 60 s in all); writes to artifacts/bench-quick/ unless --out is given
          --scenario         any of startup, recovery, scale, throughput, scheduler (default: all)
          --driver           volume_driver of the throughput backend (default: fault)
          --driver-option    an option of that backend's section, e.g. file_volumes_dir={tmp}/volumes
          --clients          concurrent clients of the throughput scenario (default 1,8,32)
          --scale-backends   backends in the scale scenario (default 1000; quick mode 100)
          --out              directory for benchmarks.md and benchmarks.json (default: docs/)
          --kiln             the kiln.dll to run (default: the one built beside this tool)
        """;

    /// <summary>The options, or null with a message on standard error when the command line is wrong.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? output = null;
        string? kiln = null;
        int? scale = null;
        var driver = "fault";
        var driverOptions = new List<string>();
        IReadOnlyList<int> clients = [1, 8, 32];
        IReadOnlyList<string> scenarios = AllScenarios;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--quick":
                        break;
                    case "--out":
                        output = Path.GetFullPath(Next());
                        break;
                    case "--kiln":
                        kiln = Path.GetFullPath(Next());
                        break;
                    case "--driver":
                        driver = Next();
                        break;
                    case "--driver-option":
                        driverOptions.Add(Next());
                        break;
                    case "--clients":
                        clients = [.. Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                        if (clients.Any(c => c < 1))
                        {
                            throw new ArgumentException("--clients needs numbers >= 1");
                        }

                        break;
                    case "--scale-backends":
                        scale = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--scenario":
                        scenarios = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } unknown)
                        {
                            throw new ArgumentException($"unknown scenario '{unknown}'");
                        }

                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return null;
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"kiln-bench: {e.Message}\n{Usage}");
                return null;
            }
        }

        return new BenchOptions
        {
            Quick = quick,
            Scenarios = scenarios,
            OutputDirectory = output ?? Path.Combine(RepositoryRoot, quick ? "artifacts/bench-quick" : "docs"),
            KilnDll = kiln ?? Metadata("KilnDll"),
            Driver = driver,
            DriverOptions = driverOptions,
            Clients = clients,
            ScaleBackends = scale ?? (quick ? 100 : 1000),
        };
    }

    private static string Metadata(string key) =>
        typeof(BenchOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
