using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Agreements;

namespace Concordat.Evidence;

/// <summary>
/// The pack's <c>reports/lint.json</c>: the lint of each agreement version by increasing version. The builder writes it
/// and the verifier recomputes it from the pack's own agreement files with this one code, so the two cannot drift.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/evidence-pack.md
internal static class EvidenceLint
{
    /// <summary>Writes the report of the versions read.</summary>
    public static JsonObject Report(IEnumerable<(int Version, AgreementReadResult Result)> read) => new()
    {
        ["versions"] = new JsonArray([.. read.OrderBy(r => r.Version).Select(r =>
        {
            var versionLint = AgreementLint.ToJson(r.Result.Agreement, AgreementLint.Lint(r.Result));
            versionLint["version"] = r.Version;
            return (JsonNode)versionLint;
        })]),
    };

    /// <summary>The name agreement version files are read under, in the builder and the verifier alike.</summary>
    public static string FileName(AgreementId agreement, int version) => $"{agreement}/v{version.ToString(CultureInfo.InvariantCulture)}.yaml";
}
