using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Licences;

namespace Concordat.Attestations;

/// <summary>
/// Writes a Hugging Face model card (a YAML metadata block between <c>---</c> lines, then Markdown sections) from a
/// model's <c>model/v1</c> attestation and the agreements its inputs were obtained under (docs/formats/model-card.md).
/// </summary>
/// <remarks>
/// The card says only what the attestation and the agreements say: it is a reading aid, and the signed attestation
/// stays the evidence. Every value in the metadata block is written as a JSON string, which YAML reads as a
/// double-quoted scalar, so no name or licence can break out of it.
/// <see href="https://huggingface.co/docs/hub/model-cards">Hugging Face model cards</see>.
/// </remarks>
public static class ModelCard
{
    /// <summary>Writes the card.</summary>
    /// <param name="model">The model's statement (predicate type <see cref="AttestationPredicateTypes.Model"/>).</param>
    /// <param name="attestation">The SHA-256 of the attestation's envelope, which the card names.</param>
    /// <param name="agreements">The agreements the card takes purpose descriptions and versions from; may be empty.</param>
    /// <returns>The card, UTF-8 text ending in a line feed.</returns>
    /// <exception cref="ArgumentException">The statement is not a <c>model/v1</c> statement.</exception>
    public static string Write(InTotoStatement model, Sha256Digest attestation, IReadOnlyList<Agreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(agreements);
        if (model.PredicateType != AttestationPredicateTypes.Model)
        {
            throw new ArgumentException($"the statement's predicate type is `{model.PredicateType}`, not `{AttestationPredicateTypes.Model}`", nameof(model));
        }

        var p = model.Predicate;
        var name = OneLine(JsonMembers.Text(p["model"]) ?? "model");
        var purpose = JsonMembers.Text(p["purpose"]);
        var licence = JsonMembers.Text(p["licence"]);
        var inputs = Objects(p["inputs"]);
        var card = new StringBuilder();
        Metadata(card, licence, inputs, purpose, JsonMembers.Text(p["use"]));

        card.Append("# ").Append(name).Append("\n\n## Model details\n\n")
            .Append("- Name: `").Append(name).Append("`\n");
        Line(card, "Version", JsonMembers.Text(p["version"]));
        Line(card, "Trained by", JsonMembers.Text(p["trainer"]));
        Line(card, "Registered at", JsonMembers.Text(p["registeredAt"]));
        Line(card, "Training configuration", JsonMembers.Text(p["trainingConfig"]));
        if (p["ip"] is JsonObject ip)
        {
            var owners = Strings(ip["owners"]);
            Line(card, "Intellectual property", $"{JsonMembers.Text(ip["category"])}, owned by {JsonMembers.Text(ip["externalOwner"]) ?? (owners.Count == 0 ? "no one named" : string.Join(", ", owners))}");
        }

        card.Append("- Attestation: a `model/v1` statement, envelope `").Append(attestation).Append("`; check it with `concordat attest verify`\n")
            .Append("- Checkpoint files:\n");
        foreach (var subject in model.Subjects)
        {
            card.Append("  - `").Append(subject.Name).Append("` ").Append(subject.Sha256?.ToString() ?? "(no SHA-256)").Append('\n');
        }

        TrainingData(card, inputs, Objects(p["agreements"]));
        IntendedUse(card, purpose, JsonMembers.Text(p["use"]), agreements);
        LicenceAndAttribution(card, licence, Objects(p["attributions"]));

        card.Append("\n## Limitations\n\n");
        var limitations = Strings(p["limitations"]);
        if (limitations.Count == 0)
        {
            card.Append("No limitation was registered with the model.\n");
        }

        foreach (var limitation in limitations)
        {
            card.Append("- ").Append(OneLine(limitation)).Append('\n');
        }

        return card.ToString();
    }

    // Spec: Hugging Face model card metadata: `license` is an SPDX-style id in lower case, or `other` with a
    // `license_name`; `datasets` and `tags` are lists of strings.
    private static void Metadata(StringBuilder card, string? licence, List<JsonObject> inputs, string? purpose, string? use)
    {
        card.Append("---\n");
        if (licence is not null && SpdxLicenceList.Default.TryFindLicence(licence, out var canonical, out _))
        {
            card.Append("license: ").Append(Quoted(canonical.ToLowerInvariant())).Append('\n');
        }
        else
        {
            card.Append("license: \"other\"\nlicense_name: ").Append(Quoted(licence is null ? "none-declared" : licence.ToLowerInvariant())).Append('\n');
        }

        var datasets = inputs.SelectMany(i => JsonMembers.Text(i["predicateType"]) switch
            {
                AttestationPredicateTypes.DatasetVersion => Objects(i["subjects"]).Select(s => JsonMembers.Text(s["name"])?.Split('/')[0].Split('@')[0]),
                AttestationPredicateTypes.Egress => [JsonMembers.Text(i["dataset"])],
                _ => [],
            })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        List("datasets", datasets);
        List("tags", new[] { "concordat", purpose is null ? null : $"purpose:{purpose}", use is null ? null : $"use:{use}" }.OfType<string>().ToList());
        card.Append("---\n\n");

        void List(string key, List<string> values)
        {
            card.Append(key).Append(':').Append(values.Count == 0 ? " []\n" : "\n");
            foreach (var value in values)
            {
                card.Append("  - ").Append(Quoted(value)).Append('\n');
            }
        }
    }

    private static void TrainingData(StringBuilder card, List<JsonObject> inputs, List<JsonObject> agreements)
    {
        card.Append("\n## Training data\n\n");
        if (inputs.Count == 0)
        {
            card.Append("The attestation names no training input.\n");
        }

        foreach (var input in inputs)
        {
            var type = JsonMembers.Text(input["predicateType"]) ?? "unknown";
            var kind = type.StartsWith(AttestationPredicateTypes.Prefix, StringComparison.Ordinal) ? type[AttestationPredicateTypes.Prefix.Length..] : type;
            card.Append("- ").Append(kind).Append(" attestation (`").Append(type).Append('`');
            if (JsonMembers.Text(input["dataset"]) is { } dataset)
            {
                card.Append(", dataset `").Append(dataset).Append("` version ").Append(input["datasetVersion"]?.ToJsonString() ?? "?");
            }

            card.Append("):\n");
            foreach (var subject in Objects(input["subjects"]))
            {
                card.Append("  - `").Append(JsonMembers.Text(subject["name"]) ?? "?").Append("` ").Append(JsonMembers.Text(subject["sha256"]) ?? "(no SHA-256)").Append('\n');
            }
        }

        if (agreements.Count > 0)
        {
            card.Append("\nObtained under:\n\n");
            foreach (var agreement in agreements)
            {
                card.Append("- agreement `").Append(JsonMembers.Text(agreement["id"]) ?? "?").Append("` version ")
                    .Append(agreement["version"]?.ToJsonString() ?? "?").Append(", ").Append(JsonMembers.Text(agreement["digest"]) ?? "(no digest)").Append('\n');
            }
        }
    }

    private static void IntendedUse(StringBuilder card, string? purpose, string? use, IReadOnlyList<Agreement> agreements)
    {
        card.Append("\n## Intended use\n\n");
        if (purpose is null)
        {
            card.Append("The attestation names no purpose.\n");
            return;
        }

        card.Append("Trained for the purpose `").Append(purpose).Append('`');
        if (use is not null)
        {
            card.Append(", for ").Append(use).Append(" use");
        }

        card.Append(". Use it only for that purpose and the purposes narrower than it, as the agreements below define them.\n");
        foreach (var agreement in agreements)
        {
            var id = new PurposeId(purpose);
            var definition = agreement.Purposes.FirstOrDefault(d => d.Id == id);
            var narrower = agreement.Purposes.Where(d => d.Broader == id).Select(d => $"`{d.Id}`").ToList();
            card.Append("\n- Agreement `").Append(agreement.Id).Append("` version ").Append(agreement.Version.ToString(CultureInfo.InvariantCulture)).Append(": ")
                .Append(definition is null ? "does not define this purpose" : OneLine(definition.Description ?? "defines it with no description"));
            if (narrower.Count > 0)
            {
                card.Append("; narrower purposes: ").Append(string.Join(", ", narrower));
            }

            var forbidden = agreement.Prohibitions.Where(x => x.Purposes.Count > 0).SelectMany(x => x.Purposes).Select(x => $"`{x}`").Distinct(StringComparer.Ordinal).ToList();
            if (forbidden.Count > 0)
            {
                card.Append("; out of scope (prohibited): ").Append(string.Join(", ", forbidden));
            }

            card.Append('\n');
        }
    }

    private static void LicenceAndAttribution(StringBuilder card, string? licence, List<JsonObject> attributions)
    {
        card.Append("\n## Licence and attribution\n\n")
            .Append(licence is null ? "The model declares no licence.\n" : $"Licence: `{licence}` (SPDX expression).\n");
        foreach (var attribution in attributions)
        {
            card.Append("\n- ").Append(JsonMembers.Text(attribution["input"]) ?? "?").Append(" (").Append(JsonMembers.Text(attribution["source"]) ?? "?").Append("): ")
                .Append(OneLine(JsonMembers.Text(attribution["text"]) ?? "attribution required, no text given"));
        }

        if (attributions.Count > 0)
        {
            card.Append('\n');
        }
    }

    private static void Line(StringBuilder card, string label, string? value)
    {
        if (value is not null)
        {
            card.Append("- ").Append(label).Append(": `").Append(value).Append("`\n");
        }
    }

    private static string Quoted(string value) => JsonSerializer.Serialize(value);

    // Security: registered text goes into one Markdown line, so a line break in it cannot open a heading or section.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(JsonMembers.Text).OfType<string>()] : [];

    private static List<JsonObject> Objects(JsonNode? node) => node is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
}
