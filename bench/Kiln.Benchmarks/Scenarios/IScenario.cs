using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>One benchmark scenario: runs its trials and returns what it measured.</summary>
internal interface IScenario
{
    string Name { get; }

    Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options);
}
