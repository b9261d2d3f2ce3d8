using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// Lints a read agreement: the warnings of reading it (AGR30xx by partnership model and engagement kind, and the other
/// warnings of validation), and the data roles of its parties held against its grants (AGR302x).
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
    /// <returns>Every warning, those of reading first; none about data roles when the document has errors.</returns>
    public static IReadOnlyList<AgreementLintWarning> Lint(AgreementReadResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var warnings = read.Diagnostics.Where(d => !d.IsError).Select(d => new AgreementLintWarning(d, null)).ToList();
        if (read.Agreement is { } agreement)
        {
            warnings.AddRange(DataRoles(agreement));
        }

        return warnings;
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

    private static IEnumerable<AgreementLintWarning> DataRoles(Agreement a)
    {
        if (!a.Parties.Any(p => p.DataRoles.Count > 0))
        {
            yield break;
        }

        var broader = a.Purposes.Where(p => p.Broader is not null).ToDictionary(p => p.Id, p => p.Broader!.Value);
        var groups = a.Groups.ToDictionary(g => g.Id, g => g.Parties);
        var decided = new HashSet<PurposeId>();

        // Invariant: grants in document order, then purposes in the grant's order, so the warnings read like the text.
        foreach (var grant in a.Grants)
        {
            var recipients = grant.Groups.SelectMany(g => groups.GetValueOrDefault(g) ?? []).Prepend(grant.Recipient).Distinct().ToList();
            foreach (var purpose in grant.Purposes)
            {
                foreach (var recipient in recipients)
                {
                    var role = RoleOf(a.Parties.FirstOrDefault(p => p.Id == recipient), purpose, broader);
                    if (role is null)
                    {
                        yield return Warn(AgreementDiagnosticCodes.LintGranteeWithoutDataRole, grant.Id, $"party `{recipient}` has no data role for purpose `{purpose}`", $"add `dataRoles: {{ {purpose}: ROLE }}` to party `{recipient}`, ROLE one of `controller`, `processor`, `joint-controller`");
                    }
                    else if (role == DataRole.Processor && !a.Parties.Any(p => p.Id != recipient && RoleOf(p, purpose, broader) is DataRole.Controller or DataRole.JointController))
                    {
                        decided.Add(purpose);
                        yield return Warn(AgreementDiagnosticCodes.LintProcessorDecides, grant.Id, $"party `{recipient}` is only the processor for purpose `{purpose}`, but no other party is its controller, so the processor would decide why and how the data is used", $"give the party that decides `{purpose}` `dataRoles: {{ {purpose}: controller }}`, or make `{recipient}` its controller");
                    }
                }
            }
        }

        var purposes = a.Grants.SelectMany(g => g.Purposes).Concat(a.Parties.SelectMany(p => p.DataRoles.Keys)).Distinct().ToList();
        foreach (var purpose in purposes)
        {
            var clause = a.Grants.FirstOrDefault(g => g.Purposes.Contains(purpose))?.Id;
            var roles = a.Parties.Select(p => (Party: p, Role: RoleOf(p, purpose, broader))).Where(x => x.Role is not null).ToList();
            var controllers = roles.Where(x => x.Role == DataRole.Controller).Select(x => $"`{x.Party.Id}`").ToList();
            var joint = roles.Where(x => x.Role == DataRole.JointController).Select(x => $"`{x.Party.Id}`").ToList();
            if (controllers.Count == 0 && joint.Count == 0 && !decided.Contains(purpose))
            {
                yield return Warn(AgreementDiagnosticCodes.LintNoController, clause, $"purpose `{purpose}` has no controller and no joint controller", $"give one party `dataRoles: {{ {purpose}: controller }}`, or two or more `joint-controller`");
            }
            else if (joint.Count == 1 && controllers.Count == 0)
            {
                yield return Warn(AgreementDiagnosticCodes.LintLoneJointController, clause, $"purpose `{purpose}` has one joint controller, {joint[0]}, and no other", $"name the other joint controller of `{purpose}`, or make {joint[0]} its `controller`");
            }
            else if (controllers.Count > 1 || (controllers.Count == 1 && joint.Count > 0))
            {
                yield return Warn(AgreementDiagnosticCodes.LintControllersDisagree, clause, $"purpose `{purpose}` is controlled by {string.Join(", ", controllers.Concat(joint))}, not all as joint controllers", $"make them all `joint-controller` of `{purpose}` (with an Art. 26 arrangement), or keep one `controller`");
            }
        }

        foreach (var party in a.Parties)
        {
            var isProcessor = party.Roles.Contains(PartyRole.ProcessorGdpr) || party.Roles.Contains(PartyRole.Processor);
            foreach (var (purpose, role) in party.DataRoles.OrderBy(r => r.Key.Value, StringComparer.Ordinal))
            {
                var contradicts = role == DataRole.Processor
                    ? party.Roles.Contains(PartyRole.Controller) && !isProcessor
                    : party.Roles.Contains(PartyRole.ProcessorGdpr) && !party.Roles.Contains(PartyRole.Controller);
                if (contradicts)
                {
                    var partyRole = AgreementEnumText.ToText(role == DataRole.Processor ? PartyRole.Controller : PartyRole.ProcessorGdpr);
                    yield return Warn(AgreementDiagnosticCodes.LintDataRoleContradictsPartyRoles, a.Grants.FirstOrDefault(g => g.Purposes.Contains(purpose))?.Id, $"party `{party.Id}` has the party role `{partyRole}` but is the {AgreementEnumText.ToText(role)} of purpose `{purpose}`", $"make the roles of party `{party.Id}` and its `dataRoles` say the same");
                }
            }
        }
    }

    // The role for the purpose itself, else for the nearest broader purpose: a processor for `research` processes for
    // `medical-research` too, as a grant of `research` covers it.
    private static DataRole? RoleOf(Party? party, PurposeId purpose, Dictionary<PurposeId, PurposeId> broader)
    {
        if (party is null)
        {
            return null;
        }

        var seen = new HashSet<PurposeId>();
        for (PurposeId? at = purpose; at is { } id && seen.Add(id); at = broader.TryGetValue(id, out var up) ? up : null)
        {
            if (party.DataRoles.TryGetValue(id, out var role))
            {
                return role;
            }
        }

        return null;
    }

    private static AgreementLintWarning Warn(ErrorCode code, ClauseId? clause, string message, string help) =>
        new(code.Warning(clause is { } id ? $"clause `{id}`: {message}" : message, null, help), clause);
}
