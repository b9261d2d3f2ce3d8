namespace Concordat.Evidence;

/// <summary>The names and fixed values of the pack format, <c>concordat-evidence-pack/v1</c> (docs/formats/evidence-pack.md).</summary>
// CAUTION: persisted/public format; see docs/formats/evidence-pack.md
internal static class EvidencePackLayout
{
    public const string Format = "concordat-evidence-pack/v1";
    public const string PredicateType = "https://concordat.example/attestations/evidence-pack/v1";
    public const string PackFile = "pack.json";
    public const string ValidationFile = "reports/validation.json";
    public const string ComplianceFile = "reports/compliance.json";
    public const string LintFile = "reports/lint.json";
    public const string LogKeyFile = "keys/log.pub";
    public const string TrustedKeysFile = "keys/trusted-keys";
    public const string AgreementsFolder = "agreements/";
    public const string CheckpointFile = "log/checkpoint";
    public const string EntriesFile = "log/entries.ndjson";
    public const string RangeFile = "log/range.json";
    public const string LeafHashesFile = "log/leaf-hashes.bin";
    public const string InclusionFile = "log/inclusion-proofs.ndjson";
    public const string PreviousFile = "log/previous.json";
    public const string ReportFile = "report.html";
    public const string NarrativeFile = "narrative.txt";
    public const string ManifestFile = "manifest.dsse.json";

    /// <summary>The one modification time of every zip entry: 1980-01-01T00:00:00, the earliest a zip's DOS time can say.</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string AgreementFile(string agreement, int version) => $"{AgreementsFolder}{agreement}/v{version}.yaml";

    public static string SignaturesFile(string agreement, int version) => $"{AgreementsFolder}{agreement}/v{version}.sigs.json";
}
