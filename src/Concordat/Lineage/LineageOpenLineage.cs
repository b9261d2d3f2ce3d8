using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Lineage;

/// <summary>
/// Writes a lineage impact as <see href="https://openlineage.io/spec/2-0-2/OpenLineage.json">OpenLineage 2-0-2</see>
/// run events, so that Marquez-style tools can read it: one run per egress (job <c>egress</c>: the dataset version
/// in, the egress out) and one per model touched (job <c>model-training/&lt;model&gt;</c>: its inputs in, the model out).
/// </summary>
/// <remarks>
/// Datasets are named in namespace <see cref="Namespace"/>: <c>dataset@version</c>, <c>egress/&lt;decisionId&gt;</c>,
/// <c>model/&lt;name&gt;</c>, so the runs link up. Run ids are UUIDs derived from the SHA-256 of what the run is (the
/// same answer always gives the same events). No facets are written.
/// </remarks>
// CAUTION: public format (the CLI's `--openlineage` output); see docs/formats/lineage.md
public static class LineageOpenLineage
{
    /// <summary>The OpenLineage namespace of every job and dataset Concordat names.</summary>
    public const string Namespace = "concordat";

    /// <summary>The producer URI each event names.</summary>
    public const string Producer = "https://concordat.example/lineage";

    /// <summary>The schema URL each event names: the RunEvent of OpenLineage 2-0-2.</summary>
    public const string SchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

    /// <summary>Writes the run events of an impact, egress first (in log order), then models (in the order found).</summary>
    /// <param name="impact">The impact.</param>
    /// <returns>One JSON object per event.</returns>
    public static IReadOnlyList<JsonObject> RunEvents(LineageImpact impact)
    {
        ArgumentNullException.ThrowIfNull(impact);
        var events = new List<JsonObject>();
        foreach (var egress in impact.Egress)
        {
            events.Add(Event(
                egress.IsComplete ? "COMPLETE" : "ABORT",
                egress.At,
                "egress/" + egress.DecisionId,
                "egress",
                [impact.Subject],
                ["egress/" + egress.DecisionId]));
        }

        foreach (var touched in impact.Models)
        {
            var model = touched.Model;
            var inputs = model.Inputs.Select(i => i.Kind switch
            {
                "egress" => "egress/" + i.Reference,
                "model" => impact.Models.FirstOrDefault(m => m.Model.Checkpoints.Any(c => c.Sha256 == i.Reference))?.Model.Name is { } parent ? "model/" + parent : "checkpoint/" + i.Reference,
                _ => i.Reference,
            });
            events.Add(Event("COMPLETE", model.RegisteredAt, "model/" + model.Name, "model-training/" + model.Name, inputs, ["model/" + model.Name]));
        }

        return events;
    }

    private static JsonObject Event(string type, DateTimeOffset at, string runKey, string job, IEnumerable<string> inputs, IEnumerable<string> outputs) => new()
    {
        ["eventType"] = type,
        ["eventTime"] = Rfc3339.Format(at),
        ["producer"] = Producer,
        ["schemaURL"] = SchemaUrl,
        ["run"] = new JsonObject { ["runId"] = RunId(runKey) },
        ["job"] = new JsonObject { ["namespace"] = Namespace, ["name"] = job },
        ["inputs"] = Datasets(inputs),
        ["outputs"] = Datasets(outputs),
    };

    private static JsonArray Datasets(IEnumerable<string> names) =>
        new([.. names.Select(n => (JsonNode)new JsonObject { ["namespace"] = Namespace, ["name"] = n })]);

    // Spec: RFC 9562 §5.8 (UUIDv8, custom): SHA-256 of the key, version and variant bits set, so a run's id is stable.
    private static string RunId(string key)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("concordat-run:" + key));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
