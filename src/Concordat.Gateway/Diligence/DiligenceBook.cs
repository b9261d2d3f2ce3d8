using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Diligence;
using Concordat.Gateway.Hosting;

namespace Concordat.Gateway.Diligence;

/// <summary>
/// The due-diligence records the operator uploaded, as files in the workspace's <c>diligence</c> folder
/// (<c>{party}/{envelope hex}.json</c>, each envelope exactly as uploaded), and the check an agreement version's
/// <c>diligence</c> requirements make against them before it comes into force (docs/design/due-diligence.md).
/// </summary>
/// <remarks>
/// Party ids reach the paths only after the gateway checked their shape (<see cref="Security.Ids.IsValid"/>). Like the
/// attestations beside them, the files live in the workspace folder that replicas share.
/// </remarks>
internal sealed class DiligenceBook(GatewayWorkspace workspace)
{
    /// <summary>The folder under the workspace.</summary>
    public const string FolderName = "diligence";

    private string Root => Path.Combine(workspace.Directory, FolderName);

    /// <summary>Where a party's record is kept, named by the envelope's SHA-256.</summary>
    public string PathOf(string party, Sha256Digest envelope) => Path.Combine(Root, party, envelope.Hex + ".json");

    /// <summary>Every stored envelope, with the party folder it is kept under, ordered by party then file name.</summary>
    public IReadOnlyList<(string Party, byte[] Envelope)> Envelopes()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.GetDirectories(Root).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(file => (Path.GetFileName(folder), File.ReadAllBytes(file))))];
    }

    /// <summary>
    /// Says, per requirement of <paramref name="agreement"/>, why no stored record meets it at <paramref name="at"/>:
    /// none held for the party, none signed by an assessor key the requirement names, or each one too old or too low.
    /// </summary>
    /// <returns>One item per requirement not met; empty when every one is.</returns>
    public IReadOnlyList<DiligenceUnmet> Unmet(Agreement agreement, DateTimeOffset at)
    {
        var unmet = new List<DiligenceUnmet>();
        var envelopes = Envelopes();
        foreach (var requirement in agreement.Diligence)
        {
            var party = requirement.Party.Value;
            var held = envelopes.Where(e => e.Party == party).ToList();
            var records = Verified(held.Select(e => e.Envelope), requirement).Select(r => r.Record).ToList();
            if (held.Count == 0)
            {
                unmet.Add(Item(party, [new(DiligenceShortfallKind.NoRecord, "no due-diligence record is held")]));
            }
            else if (records.Count == 0)
            {
                unmet.Add(Item(party, [new(DiligenceShortfallKind.AssessorNotNamed, $"no record is signed by an assessor key the agreement names ({string.Join(", ", requirement.AssessorKeys.Select(k => $"`{KeyName(k)}`"))})")]));
            }
            else if (!records.Any(r => r.Shortfalls(requirement, at).Count == 0))
            {
                var newest = records.MaxBy(r => r.AssessedAt)!;
                unmet.Add(Item(party, newest.Shortfalls(requirement, at), $"the newest record ({Rfc3339.Format(newest.AssessedAt)}) does not meet the requirement: "));
            }
        }

        return unmet;
    }

    /// <summary>
    /// The records the agreements in force rely on that are past a requirement's <c>maxAgeDays</c> at
    /// <paramref name="at"/>, with no other record held to meet it instead.
    /// </summary>
    /// <remarks>
    /// A requirement relies on the record that meets it longest: of the records verified for it that met its score
    /// when assessed, the one that expires last. A fresher record uploaded before then takes over, so the older one
    /// never lapses; a requirement that no record ever met is not a lapse (activation refused it).
    /// </remarks>
    /// <returns>Each lapse, one per requirement; a record that two requirements rely on appears for each.</returns>
    public IReadOnlyList<DiligenceLapse> Lapsed(IEnumerable<Agreement> agreements, DateTimeOffset at)
    {
        var lapses = new List<DiligenceLapse>();
        var envelopes = Envelopes();
        foreach (var agreement in agreements)
        {
            foreach (var requirement in agreement.Diligence)
            {
                var held = envelopes.Where(e => e.Party == requirement.Party.Value).Select(e => e.Envelope);

                // Judged at its own assessment, a record's only possible shortfalls are its score's.
                var relied = Verified(held, requirement)
                    .Where(r => r.Record.Shortfalls(requirement, r.Record.AssessedAt).Count == 0)
                    .MaxBy(r => r.Record.ExpiresAt(requirement));
                if (relied.Record is { } record && record.Shortfalls(requirement, at).Count > 0)
                {
                    lapses.Add(new(agreement.Id.Value, requirement, record, Sha256Digest.Compute(relied.Envelope)));
                }
            }
        }

        return lapses;
    }

    /// <summary>The records among <paramref name="envelopes"/> that verify against the requirement's assessor keys and are about its party, each with its envelope.</summary>
    public static IEnumerable<(DiligenceRecord Record, byte[] Envelope)> Verified(IEnumerable<byte[]> envelopes, DiligenceRequirement requirement)
    {
        var keys = requirement.AssessorKeys
            .Select(k => NoteKey.TryParseVerifierKey(k, out var key, out _) ? DsseVerifierKey.FromNoteKey(key) : null)
            .OfType<DsseVerifierKey>()
            .ToList();
        foreach (var envelope in envelopes)
        {
            var verified = Attestation.Verify(envelope, keys, AttestationPredicateTypes.Diligence);
            if (verified.Error is null && DiligenceRecord.TryRead(verified.Statement!, out var record, out _) && record.Score.Party == requirement.Party.Value)
            {
                yield return (record, envelope);
            }
        }
    }

    private static DiligenceUnmet Item(string party, IReadOnlyList<DiligenceShortfall> shortfalls, string lead = "") =>
        new(party, [.. shortfalls.Select(s => s.Name)], $"party `{party}`: {lead}{string.Join("; ", shortfalls.Select(s => s.Message))}");

    private static string KeyName(string key) => key.Split('+')[0];
}
