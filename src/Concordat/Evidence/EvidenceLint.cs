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

    /// <summary>
    /// Makes each warning of <paramref name="expected"/> carry no position (<c>line</c>, <c>column</c>) where its
    /// counterpart in <paramref name="given"/>, at the same place, carries none (both absent or null), in the given form.
    /// </summary>
    /// <param name="expected">The recomputed report's <c>versions</c>; changed in place.</param>
    /// <param name="given">The pack's report's <c>versions</c>.</param>
    /// <returns>How many warnings had a position recomputed that the pack's report does not carry.</returns>
    /// <remarks>
    /// Packs built before data-role warnings (AGR302x) carried positions wrote <c>"line":null,"column":null</c> for
    /// them; such a pack MUST still verify, and everything else of each warning (code, clause, message, help) is still
    /// compared, so no warning can be added, removed or reworded by dropping its position.
    /// </remarks>
    public static int OmitPositionsNotGiven(JsonArray expected, JsonArray given)
    {
        var omitted = 0;
        foreach (var (expectedVersion, givenVersion) in expected.Zip(given))
        {
            if (expectedVersion?["warnings"] is not JsonArray expectedWarnings || givenVersion is not JsonObject { } g || g["warnings"] is not JsonArray givenWarnings)
            {
                continue;
            }

            foreach (var (expectedWarning, givenWarning) in expectedWarnings.Zip(givenWarnings))
            {
                if (expectedWarning is not JsonObject warning || givenWarning is not JsonObject counterpart || HasPosition(counterpart) || !HasPosition(warning))
                {
                    continue;
                }

                foreach (var member in (string[])["line", "column"])
                {
                    warning.Remove(member);
                    if (counterpart.ContainsKey(member))
                    {
                        warning[member] = null;
                    }
                }

                omitted++;
            }
        }

        return omitted;
    }

    private static bool HasPosition(JsonObject warning) => warning["line"] is not null || warning["column"] is not null;

    /// <summary>The name agreement version files are read under, in the builder and the verifier alike.</summary>
    public static string FileName(AgreementId agreement, int version) => $"{agreement}/v{version.ToString(CultureInfo.InvariantCulture)}.yaml";
}
