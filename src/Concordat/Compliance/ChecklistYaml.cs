using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Agreements.Syntax;
using Concordat.Core;
using Concordat.Evidence;

namespace Concordat.Compliance;

/// <summary>Turns a checklist's YAML into its JSON data model, the form its JSON Schema describes.</summary>
internal static class ChecklistYaml
{
    /// <summary>Reads <paramref name="yaml"/> with the agreement reader's strict YAML rules (no duplicate keys, anchors or tags).</summary>
    /// <returns>The JSON value, or <see langword="null"/> with the problems as EVD8101 diagnostics.</returns>
    public static JsonNode? ToJson(string yaml, string file, List<Diagnostic> diagnostics)
    {
        var problems = new List<Diagnostic>();
        var root = YamlSyntaxReader.Read(yaml, file, problems);
        diagnostics.AddRange(problems.Select(p => EvidenceErrorCodes.ChecklistMalformed.ToDiagnostic(p.Severity, $"`{file}`: {p.Message}", p.Span, p.Help)));
        return root is null || problems.Any(p => p.IsError) ? null : Convert(root);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key.Value, e.Value is null ? null : Convert(e.Value)))),
        YamlSequence sequence => new JsonArray([.. sequence.Items.Select(Convert)]),
        YamlScalar scalar => scalar.Type switch
        {
            YamlScalarType.Null => null,
            YamlScalarType.Boolean when scalar.TryGetBoolean(out var flag) => JsonValue.Create(flag),
            YamlScalarType.Integer when scalar.TryGetInteger(out var number) => JsonValue.Create(number),
            YamlScalarType.Float when scalar.TryGetNumber(out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(scalar.Value.ToString(CultureInfo.InvariantCulture)),
        },
        _ => null,
    };
}
