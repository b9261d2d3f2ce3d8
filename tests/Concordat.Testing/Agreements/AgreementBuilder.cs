using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Testing.Agreements;

/// <summary>
/// Builds agreements in code for tests: every optional term empty, ids as plain strings.
/// </summary>
public sealed class AgreementBuilder(string id, int version = 1)
{
    /// <summary>The start of the default effective window.</summary>
    public static readonly DateTimeOffset DefaultFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The end of the default effective window.</summary>
    public static readonly DateTimeOffset DefaultUntil = new(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<Party> _parties = [];
    private readonly List<DatasetDefinition> _datasets = [];
    private readonly List<PurposeDefinition> _purposes = [];
    private readonly List<Grant> _grants = [];
    private readonly List<Prohibition> _prohibitions = [];
    private TimeWindow _effective = new(DefaultFrom, DefaultUntil);

    public AgreementBuilder Window(DateTimeOffset from, DateTimeOffset? until)
    {
        _effective = new TimeWindow(from, until);
        return this;
    }

    public AgreementBuilder Party(string partyId, string jurisdiction = "GB", params PartyRole[] roles)
    {
        _parties.Add(new Party(new PartyId(partyId), partyId, new Jurisdiction(jurisdiction), roles.Length == 0 ? [PartyRole.Recipient] : roles, [], null));
        return this;
    }

    public AgreementBuilder Dataset(string datasetId, string owner, SensitivityLevel sensitivity = SensitivityLevel.Internal)
    {
        var tags = new DatasetTags(sensitivity, "CC-BY-4.0", null, null, sensitivity >= SensitivityLevel.Confidential);
        _datasets.Add(new DatasetDefinition(new DatasetId(datasetId), new PartyId(owner), tags, [], null, null));
        return this;
    }

    public AgreementBuilder Purpose(string purposeId, string? broader = null)
    {
        _purposes.Add(new PurposeDefinition(new PurposeId(purposeId), broader is null ? null : new PurposeId(broader), null));
        return this;
    }

    /// <summary>Adds a grant; <paramref name="with"/> sets any other term (<c>g =&gt; g with { ... }</c>).</summary>
    public AgreementBuilder Grant(string clauseId, string recipient, string[] datasets, string[] purposes, DataAction[]? actions = null, Func<Grant, Grant>? with = null)
    {
        _grants.Add(CreateGrant(clauseId, recipient, datasets, purposes, actions, with));
        return this;
    }

    public AgreementBuilder Grant(Grant grant)
    {
        _grants.Add(grant);
        return this;
    }

    public AgreementBuilder Prohibition(
        string clauseId,
        string[]? recipients = null,
        string[]? datasets = null,
        string[]? purposes = null,
        string[]? jurisdictions = null,
        SensitivityLevel[]? sensitivities = null,
        DataAction[]? actions = null)
    {
        _prohibitions.Add(CreateProhibition(clauseId, recipients, datasets, purposes, jurisdictions, sensitivities, actions));
        return this;
    }

    public AgreementBuilder Prohibition(Prohibition prohibition)
    {
        _prohibitions.Add(prohibition);
        return this;
    }

    public Agreement Build() => new(
        1,
        new AgreementId(id),
        version,
        $"Test agreement {id}",
        PartnershipModel.Bilateral,
        EngagementKind.DataSharing,
        [.. _parties],
        [],
        _effective,
        null,
        [.. _purposes],
        [.. _datasets],
        [.. _grants],
        [.. _prohibitions],
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        [],
        null,
        null);

    public static Grant CreateGrant(string clauseId, string recipient, string[] datasets, string[] purposes, DataAction[]? actions = null, Func<Grant, Grant>? with = null)
    {
        var grant = new Grant(
            new ClauseId(clauseId),
            new PartyId(recipient),
            [.. datasets.Select(d => new DatasetId(d))],
            [.. purposes.Select(p => new PurposeId(p))],
            actions ?? [DataAction.ReadRows],
            [],
            null,
            [],
            [],
            null,
            null,
            null,
            null,
            null);
        return with is null ? grant : with(grant);
    }

    public static Prohibition CreateProhibition(
        string clauseId,
        string[]? recipients = null,
        string[]? datasets = null,
        string[]? purposes = null,
        string[]? jurisdictions = null,
        SensitivityLevel[]? sensitivities = null,
        DataAction[]? actions = null) => new(
        new ClauseId(clauseId),
        [.. (recipients ?? []).Select(r => new PartyId(r))],
        [.. (datasets ?? []).Select(d => new DatasetId(d))],
        [.. (purposes ?? []).Select(p => new PurposeId(p))],
        [.. (jurisdictions ?? []).Select(j => new Jurisdiction(j))],
        sensitivities ?? [],
        actions ?? [],
        false,
        []);

    /// <summary>A stand-in digest for agreements built in code: SHA-256 of the id and version.</summary>
    public static Sha256Digest TestDigest(Agreement agreement) =>
        Sha256Digest.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"{agreement.Id}@{agreement.Version}")));
}
