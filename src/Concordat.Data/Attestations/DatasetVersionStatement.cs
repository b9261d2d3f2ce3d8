using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Data.Datasets;

namespace Concordat.Data.Attestations;

/// <summary>
/// The statement of a dataset version attestation (predicate <see cref="AttestationPredicateTypes.DatasetVersion"/>):
/// the stored files and manifest as subjects; rows, schema, the schema's change from the previous version, the
/// dataset's tags and the importer as the predicate.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public static class DatasetVersionStatement
{
    /// <summary>Builds the statement of one stored version.</summary>
    /// <param name="manifest">The version's manifest.</param>
    /// <param name="previous">The manifest of the version before it; <see langword="null"/> for the first version.</param>
    /// <param name="tags">The dataset's tags, from the agreement that declares it.</param>
    /// <param name="importer">Who imported the version (the operator's identity, or <c>upgrade</c> for versions attested after the fact).</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement Create(DatasetManifest manifest, DatasetManifest? previous, DatasetTags tags, string importer) =>
        Create(manifest, previous, tags, importer, null);

    /// <summary>Builds the statement of one stored version, with the dataset's IP as the agreements that declare it give it.</summary>
    /// <param name="manifest">The version's manifest.</param>
    /// <param name="previous">The manifest of the version before it; <see langword="null"/> for the first version.</param>
    /// <param name="tags">The dataset's tags, from the agreement that declares it.</param>
    /// <param name="importer">Who imported the version (the operator's identity, or <c>upgrade</c> for versions attested after the fact).</param>
    /// <param name="ip">The dataset's IP (<see cref="ArtifactIp.Classify"/>), recorded as <c>ip</c>; <see langword="null"/> to leave the member out.</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement Create(DatasetManifest manifest, DatasetManifest? previous, DatasetTags tags, string importer, ModelIp? ip)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(importer);
        var prefix = $"{manifest.DatasetId.Value}@{manifest.Version.Number}/";
        var subjects = manifest.Sources.Select(s => AttestationSubject.FromSha256(prefix + s.Name, s.Sha256))
            .Prepend(AttestationSubject.FromSha256(prefix + "manifest.json", manifest.ComputeDigest()))
            .ToArray();

        var predicate = new JsonObject
        {
            ["dataset"] = manifest.DatasetId.Value,
            ["version"] = manifest.Version.Number,
            ["importedAt"] = Rfc3339.Format(manifest.ImportedAt),
            ["importer"] = importer,
            ["rowCount"] = manifest.RowCount,
            ["rowsSha256"] = manifest.RowsSha256.ToString(),
            ["manifestSha256"] = manifest.ComputeDigest().ToString(),
            ["schema"] = Fields(manifest.Schema),
            ["schemaChange"] = SchemaChange(manifest.Schema, previous),
            ["tags"] = new JsonObject
            {
                ["sensitivity"] = tags.Sensitivity.ToString().ToLowerInvariant(),
                ["licence"] = tags.Licence,
                ["provenance"] = tags.Source,
                ["originJurisdiction"] = tags.OriginJurisdiction?.Value,
                ["personalData"] = tags.PersonalData,
            },
        };
        if (ip is not null)
        {
            predicate["ip"] = ArtifactIp.ToJson(ip);
        }

        return new InTotoStatement(subjects, AttestationPredicateTypes.DatasetVersion, predicate);
    }

    /// <summary>Compares two schemas by field name: fields added, removed, and retyped (same name, another type).</summary>
    /// <param name="schema">The new version's schema.</param>
    /// <param name="previous">The previous version's manifest, or <see langword="null"/>.</param>
    /// <returns>The change as JSON: <c>previousVersion</c> (null for the first version), <c>added</c>, <c>removed</c>, <c>retyped</c>.</returns>
    internal static JsonObject SchemaChange(IReadOnlyList<DatasetSchemaField> schema, DatasetManifest? previous)
    {
        var before = previous?.Schema ?? Array.Empty<DatasetSchemaField>();
        var oldTypes = before.ToDictionary(f => f.Name.Value, f => f.Type, StringComparer.Ordinal);
        var newNames = schema.Select(f => f.Name.Value).ToHashSet(StringComparer.Ordinal);
        return new JsonObject
        {
            ["previousVersion"] = previous?.Version.Number,
            ["added"] = Fields(previous is null ? Array.Empty<DatasetSchemaField>() : schema.Where(f => !oldTypes.ContainsKey(f.Name.Value)).ToArray()),
            ["removed"] = Fields(before.Where(f => !newNames.Contains(f.Name.Value)).ToArray()),
            ["retyped"] = new JsonArray([.. schema
                .Where(f => oldTypes.TryGetValue(f.Name.Value, out var type) && type != f.Type)
                .Select(f => (JsonNode)new JsonObject
                {
                    ["name"] = f.Name.Value,
                    ["from"] = DatasetManifest.TypeName(oldTypes[f.Name.Value]),
                    ["to"] = DatasetManifest.TypeName(f.Type),
                })]),
        };
    }

    private static JsonArray Fields(IReadOnlyList<DatasetSchemaField> fields) =>
        new([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name.Value, ["type"] = DatasetManifest.TypeName(f.Type) })]);
}
