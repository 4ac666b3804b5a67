using System.Text.Json;
using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>eng/policy/oslo-decisions.py's output: oslo.policy's decision for each rule and persona against one target.</summary>
internal sealed record OsloDecisions(
    string CinderVersion,
    IReadOnlyDictionary<string, string?> Target,
    IReadOnlyDictionary<string, PolicyCredentials> Personas,
    IReadOnlyList<OsloDecision> Decisions)
{
    /// <summary>The committed table: oslo.policy's decisions on Cinder Zed's defaults alone.</summary>
    public static OsloDecisions Committed { get; } = Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Policy", "CinderZedDecisions.json")));

    public static OsloDecisions Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var target = root.GetProperty("target").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var personas = root.GetProperty("personas").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, Credentials);
        var decisions = root.GetProperty("decisions").EnumerateArray()
            .Select(d => new OsloDecision(
                d.GetProperty("enforce_new_defaults").GetBoolean(),
                d.GetProperty("rule").GetString()!,
                d.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()!).ToHashSet()))
            .ToList();
        return new OsloDecisions(root.GetProperty("cinder").GetString()!, target, personas, decisions);
    }

    /// <summary>The personas <paramref name="enforcer"/> allows <paramref name="rule"/>, in the table's persona order.</summary>
    public IReadOnlyList<string> AllowedBy(PolicyEnforcer enforcer, string rule) =>
        [.. Personas.Where(p => enforcer.Authorize(rule, p.Value, Target)).Select(p => p.Key)];

    /// <summary>The personas oslo.policy allowed, in the table's persona order.</summary>
    public IReadOnlyList<string> AllowedByOslo(OsloDecision decision) => [.. Personas.Keys.Where(decision.Allowed.Contains)];

    private static PolicyCredentials Credentials(JsonElement persona) => new(
        persona.GetProperty("user_id").GetString(),
        persona.GetProperty("project_id").GetString(),
        persona.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToHashSet(),
        persona.GetProperty("is_admin").GetBoolean(),
        persona.GetProperty("user_domain_id").GetString(),
        persona.GetProperty("project_domain_id").GetString(),
        SystemScopeAll: persona.GetProperty("system_scope").GetString() == "all");
}

/// <summary>One rule's decision for every persona, under one <c>enforce_new_defaults</c> setting.</summary>
internal sealed record OsloDecision(bool EnforceNewDefaults, string Rule, IReadOnlySet<string> Allowed);
