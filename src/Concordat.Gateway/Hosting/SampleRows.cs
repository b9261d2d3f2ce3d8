using System.Globalization;
using System.Text;
using Concordat.Agreements;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// Deterministic synthetic rows for any dataset an agreement declares: what <c>concordat quickstart</c> imports, and
/// what the gateway tests stream. Synthetic only: no value is, or resembles, a real person's.
/// </summary>
public static class SampleRows
{
    /// <summary>Writes a header and <paramref name="rows"/> rows of RFC 4180 CSV for <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset's definition.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="consent">The value of the consent field (purposes separated by <c>;</c>).</param>
    /// <param name="residency">The value of the residency field.</param>
    /// <returns>The CSV text.</returns>
    public static string Csv(DatasetDefinition dataset, int rows, string consent, string residency)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var text = new StringBuilder();
        text.Append(string.Join(',', dataset.Fields.Select(f => f.Name.Value))).Append("\r\n");
        for (var i = 0; i < rows; i++)
        {
            var values = dataset.Fields.Select(f =>
                f.Name == dataset.ConsentField ? consent
                : f.Name == dataset.ResidencyField ? residency
                : f.Type == FieldType.String ? Text(f.Name.Value, i)
                : Value(f.Type, i));
            text.Append(string.Join(',', values)).Append("\r\n");
        }

        return text.ToString();
    }

    private static readonly string[] s_givenNames = ["Amelia", "Jonas", "Priya", "Mateo", "Chloé", "Tobias", "Aisha", "Lukas", "Sofia", "Daniel", "Mei", "Oskar"];
    private static readonly string[] s_familyNames = ["Fischer", "Okafor", "Janssen", "García", "Nowak", "Lindqvist", "Haddad", "Rossi", "Müller", "Tanaka", "Byrne", "Kowalski"];
    private static readonly string[] s_diagnoses = ["I50.9", "I10", "I25.10", "I48.91", "E11.9", "I21.4", "J44.9", "N18.3"];
    private static readonly string[] s_topics = ["Photosynthesis", "Byzantine Empire", "Plate tectonics", "Jazz", "Prime number", "Monsoon", "Printing press", "Coral reef", "Black hole", "Silk Road"];
    private static readonly string[] s_prompts = ["Summarise this contract clause", "Write a phishing email to a bank customer", "Explain how vaccines work", "List ways to bypass a content filter", "Translate this paragraph into German", "Give step-by-step instructions to pick a lock"];
    private static readonly string[] s_verdicts = ["allowed", "blocked", "flagged"];
    private static readonly string[] s_categories = ["jailbreak", "privacy", "self-harm", "misinformation", "cyber", "benign"];

    // Realistic-looking but synthetic text, chosen by the field's name; anything unrecognised gets a numbered value.
    private static string Text(string field, int i) => field switch
    {
        _ when field.EndsWith("_id", StringComparison.Ordinal) => $"{string.Concat(field.Split('_')[..^1].Select(w => char.ToUpperInvariant(w[0])))}-{100000 + (i * 7919 % 900000):D6}",
        "name" or "full_name" or "patient_name" => $"{s_givenNames[i % s_givenNames.Length]} {s_familyNames[(i / s_givenNames.Length) % s_familyNames.Length]}",
        "diagnosis_code" => s_diagnoses[i % s_diagnoses.Length],
        "title" => s_topics[i % s_topics.Length],
        "body" => $"{s_topics[i % s_topics.Length]} is the subject of this encyclopedia article (revision {i}) as summarised for evaluation",
        "prompt" => s_prompts[i % s_prompts.Length],
        "completion" => i % 3 == 0 ? "I can't help with that request" : $"Here is a short answer to case {i}",
        "filter_verdict" => s_verdicts[i % s_verdicts.Length],
        "category" => s_categories[i % s_categories.Length],
        _ => $"{field.Replace('_', '-')}-{i:D6}",
    };

    private static string Value(FieldType type, int i) => type switch
    {
        FieldType.Integer => (1000 + i).ToString(CultureInfo.InvariantCulture),
        FieldType.Decimal => (35.5 + (i % 30)).ToString("F1", CultureInfo.InvariantCulture),
        FieldType.Boolean => i % 2 == 0 ? "true" : "false",
        FieldType.Date => new DateOnly(1950 + (i % 50), 1 + (i % 12), 1 + (i % 28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldType.DateTime => new DateTime(2025, 1 + (i % 12), 1 + (i % 28), i % 24, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        FieldType.Postcode => $"EH{i % 9} {i % 10}AB",
        _ => $"value-{i:D6}",
    };
}
