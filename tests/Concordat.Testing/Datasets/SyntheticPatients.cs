using System.Globalization;
using System.Text;
using Concordat.Agreements;

namespace Concordat.Testing.Datasets;

/// <summary>
/// A seeded generator of synthetic, patient-shaped rows (no real person): the same seed always gives the same rows.
/// </summary>
/// <remarks>
/// Ten fields: <c>patient_id</c>, <c>name</c>, <c>date_of_birth</c>, <c>postcode</c>, <c>diagnosis_code</c>,
/// <c>admitted_at</c>, <c>consent</c> (purposes separated by <c>;</c>), <c>residency</c>, <c>systolic_bp</c>, <c>bmi</c>.
/// Quickstart and the tests use it; samples/datasets/patients.csv is its output for seed 4 and 200 rows.
/// </remarks>
public sealed class SyntheticPatients
{
    /// <summary>The dataset id the sample uses.</summary>
    public const string SampleDatasetId = "patients";

    private static readonly string[] s_given = ["Amara", "Ben", "Chloé", "Dev", "Eilidh", "Farah", "George", "Hana", "Idris", "Jolene", "Kofi", "Lena", "Mateusz", "Niamh", "Oluwaseun", "Priya", "Quentin", "Rhys", "Siobhán", "Tomás", "Uma", "Wei", "Yusuf", "Zoë"];
    private static readonly string[] s_family = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernández", "Gallagher", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Ueda", "Walsh", "Young", "Zielińska"];
    private static readonly string[] s_outward = ["SW1A", "EC1V", "N1", "M14", "B15", "LS6", "G12", "CF10", "EH8", "BS8", "NE1", "L8", "OX3", "CB2", "BT9"];
    private static readonly string[] s_diagnoses = ["E11.9", "I10", "J45.909", "K21.0", "M54.5", "F32.1", "N18.3", "C50.911", "I25.10", "E66.9", "J44.1", "G43.909"];
    private static readonly string[] s_consents = ["research;training", "research", "research;evaluation", "training", "evaluation", "", "research;training;evaluation"];
    private static readonly string[] s_residencies = ["GB", "GB", "GB", "GB", "DE", "FR", "IE", "US"];

    private const int ConsentIndex = 6;

    private readonly Random _random;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">The seed; the same seed gives the same rows.</param>
    public SyntheticPatients(int seed) => _random = new Random(seed);

    /// <summary>The field names, in schema order.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["patient_id", "name", "date_of_birth", "postcode", "diagnosis_code", "admitted_at", "consent", "residency", "systolic_bp", "bmi"];

    /// <summary>The dataset definition of the generated rows.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="owner">The providing party.</param>
    /// <returns>The definition, with <c>consent</c> and <c>residency</c> as the row-rule fields.</returns>
    public static DatasetDefinition Definition(string id = SampleDatasetId, string owner = "hospital") => new(
        new DatasetId(id),
        new PartyId(owner),
        new DatasetTags(SensitivityLevel.Restricted, null, "synthetic", new Jurisdiction("GB"), PersonalData: true),
        [
            new FieldDefinition(new FieldName("patient_id"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("name"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("date_of_birth"), FieldType.Date, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("postcode"), FieldType.Postcode, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("diagnosis_code"), FieldType.String, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("admitted_at"), FieldType.DateTime, FieldClassification.Plain),
            new FieldDefinition(new FieldName("consent"), FieldType.String, FieldClassification.Plain),
            new FieldDefinition(new FieldName("residency"), FieldType.String, FieldClassification.Plain),
            new FieldDefinition(new FieldName("systolic_bp"), FieldType.Integer, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("bmi"), FieldType.Decimal, FieldClassification.Sensitive),
        ],
        new FieldName("consent"),
        new FieldName("residency"));

    /// <summary>Returns the next row's values as text, in schema order.</summary>
    /// <returns>Ten values; <c>consent</c> may be empty (no consent recorded).</returns>
    public string[] NextRow()
    {
        var dob = new DateOnly(1930, 1, 1).AddDays(_random.Next(0, 365 * 75));
        var admitted = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(_random.Next(0, 60 * 24 * 700));
        var outward = Pick(s_outward);
        var inward = $"{_random.Next(1, 10)}{(char)('A' + _random.Next(0, 26))}{(char)('A' + _random.Next(0, 26))}";
        return
        [
            $"NHS-{_random.NextInt64(4_000_000_000, 9_999_999_999)}",
            $"{Pick(s_given)} {Pick(s_family)}",
            dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"{outward} {inward}",
            Pick(s_diagnoses),
            admitted.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Pick(s_consents),
            Pick(s_residencies),
            _random.Next(95, 190).ToString(CultureInfo.InvariantCulture),
            (_random.Next(160, 420) / 10m).ToString("0.0", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>Writes a header and <paramref name="rows"/> rows as RFC 4180 CSV (CRLF, fields quoted when needed).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="consent">When given, the <c>consent</c> value of every row (so a consent rule can pass every row); the other values are the same as without it.</param>
    public void WriteCsv(TextWriter writer, int rows, string? consent = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(',', FieldNames) + "\r\n");
        for (var i = 0; i < rows; i++)
        {
            var row = NextRow();
            row[ConsentIndex] = consent ?? row[ConsentIndex];
            writer.Write(string.Join(',', row.Select(Quote)) + "\r\n");
        }
    }

    /// <summary>Returns <paramref name="rows"/> rows as UTF-8 CSV bytes.</summary>
    /// <param name="rows">How many rows.</param>
    /// <returns>The bytes.</returns>
    public byte[] ToCsvBytes(int rows)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer, rows);
        return Encoding.UTF8.GetBytes(writer.ToString());
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
