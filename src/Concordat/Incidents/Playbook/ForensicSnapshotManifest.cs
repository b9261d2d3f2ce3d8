using System.Text.Json;

namespace Concordat.Incidents.Playbook;

/// <summary>The manifest of a forensic snapshot: what the export beside it is, and which of its entries matter.</summary>
/// <param name="Format">The format name, <c>concordat-forensic-snapshot/v1</c>.</param>
/// <param name="Incident">The incident id.</param>
/// <param name="Export">The export's file name, beside the manifest.</param>
/// <param name="ExportSha256">The SHA-256 of the export file, <c>sha256:</c> and lowercase hex.</param>
/// <param name="Origin">The log's origin.</param>
/// <param name="TreeSize">The tree size of the signed checkpoint the export ends with.</param>
/// <param name="RootHash">That checkpoint's root hash, base64.</param>
/// <param name="Entries">The indexes of the entries relevant to the incident.</param>
// CAUTION: persisted/public format; see docs/design/incidents.md
public sealed record ForensicSnapshotManifest(string Format, string Incident, string Export, string ExportSha256, string Origin, long TreeSize, string RootHash, IReadOnlyList<long> Entries)
{
    /// <summary>Gets the options the manifest is written and read with (camelCase members).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
