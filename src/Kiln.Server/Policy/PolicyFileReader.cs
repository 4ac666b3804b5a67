using System.Text.Json;
using System.Text.RegularExpressions;
using Kiln.Server.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kiln.Server.Policy;

/// <summary>
/// Reads a policy file: oslo.policy's flat mapping of rule names to rule strings, as YAML
/// (policy.yaml) or JSON (the older policy.json form; like oslo.policy, JSON is tried first).
/// YamlDotNet rather than a hand parser: operators write full YAML here (comments, either quote
/// style with escapes, block scalars for long rules, flow mappings) and a half-parser would
/// misread some of it silently. Values YAML would read as anything but a string are refused with
/// a hint to quote them; a null value is the empty rule (allowed), as oslo.policy reads it.
/// A name given twice is refused: PyYAML keeps the last silently, which hides a mistake.
/// </summary>
internal static partial class PolicyFileReader
{
    /// <summary>Reads <paramref name="text"/>; throws <see cref="KilnConfigurationException"/> naming <paramref name="source"/> and the line.</summary>
    public static IReadOnlyList<PolicyFileRule> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.TrimStart().StartsWith('{') && TryParseJson(text, source) is { } fromJson)
        {
            return fromJson;
        }

        try
        {
            return ParseYaml(text, source);
        }
        catch (YamlException e)
        {
            throw new KilnConfigurationException($"{source}:{e.Start.Line}: not a valid YAML policy file: {FirstLine(e.Message)}", e);
        }
    }

    private static List<PolicyFileRule>? TryParseJson(string text, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null; // oslo.policy then tries YAML, whose error message is the one reported
        }

        using (document)
        {
            var rules = new List<PolicyFileRule>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var rule = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => string.Empty,
                    JsonValueKind.Array => throw ListRule(source, property.Name),
                    _ => throw new KilnConfigurationException($"{source}: rule '{property.Name}' is {property.Value.ValueKind.ToString().ToLowerInvariant()}, not a rule string"),
                };
                Add(rules, new PolicyFileRule(property.Name, rule), source);
            }

            return rules;
        }
    }

    private static List<PolicyFileRule> ParseYaml(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var rules = new List<PolicyFileRule>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return rules; // empty, or only comments: no overrides
        }

        parser.Consume<DocumentStart>();
        if (parser.TryConsume<Scalar>(out var root) && IsNull(root))
        {
            parser.Consume<DocumentEnd>();
            ExpectEnd(parser, source);
            return rules;
        }

        if (root is not null || !parser.TryConsume<MappingStart>(out _))
        {
            throw new KilnConfigurationException($"{source}:{Line(root?.Start ?? parser.Current!.Start)}: expected a mapping of rule names to rule strings");
        }

        var anchors = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<ParsingEvent>();
            if (key is not Scalar { Value.Length: > 0 } name)
            {
                throw new KilnConfigurationException($"{source}:{Line(key.Start)}: expected a rule name");
            }

            var value = parser.Consume<ParsingEvent>();
            var rule = value switch
            {
                Scalar scalar => RuleText(scalar, name.Value, source),
                AnchorAlias alias when anchors.TryGetValue(alias.Value.Value, out var aliased) => aliased,
                SequenceStart => throw ListRule($"{source}:{Line(value.Start)}", name.Value),
                _ => throw new KilnConfigurationException($"{source}:{Line(value.Start)}: rule '{name.Value}' is not a rule string"),
            };
            if (value is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                anchors[anchored.Anchor.Value] = rule;
            }

            Add(rules, new PolicyFileRule(name.Value, rule, Line(name.Start)), source);
        }

        parser.Consume<DocumentEnd>();
        ExpectEnd(parser, source);
        return rules;
    }

    private static string RuleText(Scalar scalar, string name, string source)
    {
        if (!scalar.Tag.IsEmpty && scalar.Tag.Value is not ("tag:yaml.org,2002:str" or "!"))
        {
            throw new KilnConfigurationException($"{source}:{Line(scalar.Start)}: rule '{name}' has the YAML tag {scalar.Tag.Value}; write the rule as a plain string");
        }

        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return scalar.Value;
        }

        if (IsNull(scalar))
        {
            return string.Empty;
        }

        if (YamlBoolean().IsMatch(scalar.Value) || YamlNumber().IsMatch(scalar.Value))
        {
            throw new KilnConfigurationException(
                $"{source}:{Line(scalar.Start)}: rule '{name}' = {scalar.Value} is read by YAML as a boolean or number, not a rule; quote it");
        }

        return scalar.Value;
    }

    private static void Add(List<PolicyFileRule> rules, PolicyFileRule rule, string source)
    {
        if (rules.Find(r => string.Equals(r.Name, rule.Name, StringComparison.Ordinal)) is { } earlier)
        {
            var where = rule.Line is { } line ? $"{source}:{line}" : source;
            var first = earlier.Line is { } firstLine ? $" (first on line {firstLine})" : string.Empty;
            throw new KilnConfigurationException($"{where}: rule '{rule.Name}' is defined twice{first}; keep one");
        }

        rules.Add(rule);
    }

    private static void ExpectEnd(Parser parser, string source)
    {
        if (!parser.Accept<StreamEnd>(out _))
        {
            throw new KilnConfigurationException($"{source}:{Line(parser.Current!.Start)}: a policy file holds one YAML document, not several");
        }
    }

    private static KilnConfigurationException ListRule(string where, string name) =>
        new($"{where}: rule '{name}' is a list (oslo.policy's old list-of-lists syntax), which Kiln does not read; write it as a rule string");

    // YAML 1.1's null, as PyYAML resolves a plain scalar.
    private static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    // YAML 1.1's booleans and numbers, as PyYAML resolves plain scalars.
    [GeneratedRegex("^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex YamlBoolean();

    [GeneratedRegex(@"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
        + @"|[-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();
}
