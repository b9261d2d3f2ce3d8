using Concordat.Core;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Warnings about the data roles of the parties held against the grants (AGR302x), each placed where the purpose is
/// written and tied to the grant it is about.
/// </summary>
/// <remarks>
/// Data roles are checked only when some party declares <c>dataRoles</c>: an agreement written before them says nothing
/// about controllers, and MUST NOT be warned for it. A party's role for a purpose is the one it declares for the purpose
/// or, failing that, for the nearest broader purpose.
/// </remarks>
internal sealed class DataRoleLinter(Binder b, Agreement a)
{
    public void Lint()
    {
        if (!a.Parties.Any(p => p.DataRoles.Count > 0))
        {
            return;
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
                        Warn(AgreementDiagnosticCodes.LintGranteeWithoutDataRole, grant.Id, b.Map.SpanOfText(grant, "purposes", purpose.Value), $"party `{recipient}` has no data role for purpose `{purpose}`", $"add `dataRoles: {{ {purpose}: ROLE }}` to party `{recipient}`, ROLE one of `controller`, `processor`, `joint-controller`");
                    }
                    else if (role == DataRole.Processor && !a.Parties.Any(p => p.Id != recipient && RoleOf(p, purpose, broader) is DataRole.Controller or DataRole.JointController))
                    {
                        decided.Add(purpose);
                        Warn(AgreementDiagnosticCodes.LintProcessorDecides, grant.Id, b.Map.SpanOfText(grant, "purposes", purpose.Value), $"party `{recipient}` is only the processor for purpose `{purpose}`, but no other party is its controller, so the processor would decide why and how the data is used", $"give the party that decides `{purpose}` `dataRoles: {{ {purpose}: controller }}`, or make `{recipient}` its controller");
                    }
                }
            }
        }

        var purposes = a.Grants.SelectMany(g => g.Purposes).Concat(a.Parties.SelectMany(p => p.DataRoles.Keys)).Distinct().ToList();
        foreach (var purpose in purposes)
        {
            var grant = a.Grants.FirstOrDefault(g => g.Purposes.Contains(purpose));
            var clause = grant?.Id;
            var where = grant is not null ? b.Map.SpanOfText(grant, "purposes", purpose.Value)
                : a.Parties.FirstOrDefault(p => p.DataRoles.ContainsKey(purpose)) is { } declaring ? b.Map.SpanOfText(declaring, "dataRoles", purpose.Value)
                : null;
            var roles = a.Parties.Select(p => (Party: p, Role: RoleOf(p, purpose, broader))).Where(x => x.Role is not null).ToList();
            var controllers = roles.Where(x => x.Role == DataRole.Controller).Select(x => $"`{x.Party.Id}`").ToList();
            var joint = roles.Where(x => x.Role == DataRole.JointController).Select(x => $"`{x.Party.Id}`").ToList();
            if (controllers.Count == 0 && joint.Count == 0 && !decided.Contains(purpose))
            {
                Warn(AgreementDiagnosticCodes.LintNoController, clause, where, $"purpose `{purpose}` has no controller and no joint controller", $"give one party `dataRoles: {{ {purpose}: controller }}`, or two or more `joint-controller`");
            }
            else if (joint.Count == 1 && controllers.Count == 0)
            {
                Warn(AgreementDiagnosticCodes.LintLoneJointController, clause, where, $"purpose `{purpose}` has one joint controller, {joint[0]}, and no other", $"name the other joint controller of `{purpose}`, or make {joint[0]} its `controller`");
            }
            else if (controllers.Count > 1 || (controllers.Count == 1 && joint.Count > 0))
            {
                Warn(AgreementDiagnosticCodes.LintControllersDisagree, clause, where, $"purpose `{purpose}` is controlled by {string.Join(", ", controllers.Concat(joint))}, not all as joint controllers", $"make them all `joint-controller` of `{purpose}` (with an Art. 26 arrangement), or keep one `controller`");
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
                    Warn(AgreementDiagnosticCodes.LintDataRoleContradictsPartyRoles, a.Grants.FirstOrDefault(g => g.Purposes.Contains(purpose))?.Id, b.Map.SpanOfText(party, "dataRoles", purpose.Value), $"party `{party.Id}` has the party role `{partyRole}` but is the {AgreementEnumText.ToText(role)} of purpose `{purpose}`", $"make the roles of party `{party.Id}` and its `dataRoles` say the same");
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

    private void Warn(ErrorCode code, ClauseId? clause, SourceSpan? span, string message, string help)
    {
        var warning = code.Warning(clause is { } id ? $"clause `{id}`: {message}" : message, span, help);
        b.Diagnostics.Add(warning);
        if (clause is { } about)
        {
            b.Clauses[warning] = about;
        }
    }
}
