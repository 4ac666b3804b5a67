using System.Text;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>Builds the kiln.conf a scenario runs with: [DEFAULT] options, then one section per backend.</summary>
internal sealed class KilnConfig(string statePath)
{
    // Quotas high enough never to refuse (32 clients hold 32 volumes; Cinder's default is 10), yet
    // finite, so every create still pays for the quota check as it would in a default deployment.
    private readonly List<(string Key, string Value)> defaults =
    [
        ("host", "bench"), ("state_path", statePath),
        ("quota_volumes", "1000000"), ("quota_snapshots", "1000000"), ("quota_gigabytes", "1000000000"),
    ];
    private readonly List<(string Name, IReadOnlyList<(string Key, string Value)> Options)> backends = [];

    public const string Host = "bench";

    public KilnConfig Default(string key, string value)
    {
        defaults.Add((key, value));
        return this;
    }

    public KilnConfig Backend(string name, params (string Key, string Value)[] options)
    {
        backends.Add((name, options));
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder("[DEFAULT]\n");
        foreach (var (key, value) in defaults)
        {
            text.Append(key).Append(" = ").Append(value).Append('\n');
        }

        text.Append("enabled_backends = ").AppendJoin(", ", backends.Select(b => b.Name)).Append('\n');
        foreach (var (name, options) in backends)
        {
            text.Append('\n').Append('[').Append(name).Append("]\n");
            foreach (var (key, value) in options)
            {
                text.Append(key).Append(" = ").Append(value).Append('\n');
            }
        }

        return text.ToString();
    }
}
