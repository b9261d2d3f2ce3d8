using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Testing;
using Json.Schema;

namespace Concordat.Tests.Incidents.Sharing;

/// <summary>
/// The OASIS STIX 2.1 JSON schemas vendored in tests/vendor/oasis-stix, each registered under its own <c>$id</c> so
/// that the bundle schema's relative references resolve to the vendored files and never to the network.
/// </summary>
internal static class StixSchemas
{
    private const string Base = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";

    private static readonly Lazy<Dictionary<string, JsonSchema>> s_schemas = new(Load);

    public static string Folder { get; } = Path.Combine(RepositoryRoot.Find(), "tests", "vendor", "oasis-stix");

    /// <summary>
    /// Returns the errors the schemas find in <paramref name="json"/>, none when it is valid: each <c>incident</c>
    /// object against <c>sdos/incident.json</c>, and the bundle without them against <c>common/bundle.json</c>.
    /// </summary>
    /// <remarks>
    /// The bundle schema at the vendored commit does not list <c>incident</c> among its object types, and its branch
    /// for custom objects accepts no object carrying the common properties (they satisfy both its <c>oneOf</c> choices),
    /// so a bundle holding an incident can never pass it whole (tests/vendor/oasis-stix/README.md). The bundle schema
    /// tries every type in turn, so its own errors name every branch; when it fails, each object is checked against the
    /// schema of its own type to name what is wrong.
    /// </remarks>
    public static IReadOnlyList<string> Errors(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var objects = root["objects"]!.AsArray();
        var errors = new List<string>();
        foreach (var incident in objects.Where(o => o!["type"]!.GetValue<string>() == "incident").ToList())
        {
            if (Evaluate("sdos/incident.json", JsonDocument.Parse(incident!.ToJsonString()).RootElement) is { } refused)
            {
                errors.AddRange(Describe(incident["id"]!.GetValue<string>(), refused));
            }

            objects.Remove(incident);
        }

        var rest = JsonDocument.Parse(root.ToJsonString()).RootElement;
        if (Evaluate("common/bundle.json", rest) is null)
        {
            return errors;
        }

        errors.Add("the bundle schema refuses the bundle");
        foreach (var item in rest.GetProperty("objects").EnumerateArray())
        {
            var type = item.GetProperty("type").GetString()!;

            var file = new[] { $"sdos/{type}.json", $"sros/{type}.json", $"observables/{type}.json", $"common/{type}.json" }.FirstOrDefault(s_schemas.Value.ContainsKey);
            if (file is not null && Evaluate(file, item) is { } result)
            {
                errors.AddRange(Describe(item.GetProperty("id").GetString()!, result));
            }
        }

        return errors;
    }

    private static IEnumerable<string> Describe(string id, EvaluationResults result) =>
        (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{id}{d.InstanceLocation}: {e.Value}")).Take(10);

    private static EvaluationResults? Evaluate(string file, JsonElement instance)
    {
        var result = s_schemas.Value[file].Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? null : result;
    }

    private static Dictionary<string, JsonSchema> Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var root = Path.Combine(Folder, "schemas");
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            schemas[relative] = JsonSchema.FromFile(file, options, new Uri(Base + relative));
        }

        return schemas;
    }
}
