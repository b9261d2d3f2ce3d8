using System.Globalization;
using System.Text;
using Concordat.Agreements;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>Deterministic CSV rows for any dataset an agreement declares, so every sample agreement can be exercised.</summary>
internal static class SampleRows
{
    public static string Csv(DatasetDefinition dataset, int rows, string consent, string residency)
    {
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
        FieldType.Decimal => (35.5 + i).ToString("F1", CultureInfo.InvariantCulture),
        FieldType.Boolean => i % 2 == 0 ? "true" : "false",
        FieldType.Date => new DateOnly(1960 + (i % 40), 1 + (i % 12), 1 + (i % 28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldType.DateTime => "2025-03-04T05:06:07Z",
        FieldType.Postcode => $"EH{i % 9} 4AB",
        _ => $"value-{i:D4}",
    };
}
