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
                : Value(f.Type, i));
            text.Append(string.Join(',', values)).Append("\r\n");
        }

        return text.ToString();
    }

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
