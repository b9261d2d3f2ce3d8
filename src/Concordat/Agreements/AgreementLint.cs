using System.Text.Json.Nodes;

namespace Concordat.Agreements;

/// <summary>
/// Lints a read agreement: the warnings of reading it (AGR30xx by partnership model and engagement kind, the other
/// warnings of validation, and the data roles of its parties held against its grants, AGR302x), each with the clause
/// it is about.
/// </summary>
/// <remarks>
/// Data roles are checked only when some party declares <c>dataRoles</c>: an agreement written before them says nothing
/// about controllers, and MUST NOT be warned for it. A party's role for a purpose is the one it declares for the purpose
/// or, failing that, for the nearest broader purpose.
/// </remarks>
public static class AgreementLint
{
    /// <summary>The <c>format</c> of the JSON form.</summary>
    public const string Format = "concordat-agreement-lint/v1";

    /// <summary>Lints <paramref name="read"/>.</summary>
    /// <param name="read">The result of <see cref="AgreementReader.Read(string, string)"/>.</param>
    /// <returns>Every warning of reading, the data roles' included, in source order; none about data roles when the document has errors.</returns>
    public static IReadOnlyList<AgreementLintWarning> Lint(AgreementReadResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return [.. read.Diagnostics.Where(d => !d.IsError).Select(d => new AgreementLintWarning(d, read.Clauses.TryGetValue(d, out var clause) ? clause : null))];
    }

    /// <summary>Writes the JSON form: <c>{format, agreement, version, warnings: [{code, clause, message, help, line, column}]}</c>.</summary>
    /// <param name="agreement">The agreement's id and version, when it read.</param>
    /// <param name="warnings">The warnings.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject ToJson(Agreement? agreement, IEnumerable<AgreementLintWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        return new JsonObject
        {
            ["format"] = Format,
            ["agreement"] = agreement?.Id.Value,
            ["version"] = agreement?.Version,
            ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)new JsonObject
            {
                ["code"] = w.Diagnostic.Code,
                ["clause"] = w.Clause?.Value,
                ["message"] = w.Diagnostic.Message,
                ["help"] = w.Diagnostic.Help,
                ["line"] = w.Diagnostic.Span?.Line,
                ["column"] = w.Diagnostic.Span?.Column,
            })]),
        };
    }
}
