using System.Security.Cryptography;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// The decision engine of the decisions library (<see cref="PolicyIndex"/>) over the agreements in force.
/// </summary>
internal sealed class PolicyIndexEngine : IDecisionEngine, IDecisionEngineFactory
{
    private readonly PolicyIndex _index;
    private readonly IReadOnlyList<ActiveAgreement> _agreements;

    public PolicyIndexEngine()
        : this([])
    {
    }

    private PolicyIndexEngine(IReadOnlyList<ActiveAgreement> agreements)
    {
        _agreements = agreements;
        _index = PolicyIndex.Compile(agreements.Select(a => new PolicyAgreement(a.Agreement, a.Digest)));
    }

    public IDecisionEngine Create(IReadOnlyList<ActiveAgreement> agreements) => new PolicyIndexEngine(agreements);

    public GatewayDecision Decide(DecisionInput input)
    {
        var request = new DecisionRequest(input.Recipient, input.Action, input.Dataset, input.Purpose, input.Jurisdiction, input.Subprocessor, input.At);
        var decision = _index.Decide(in request);
        var record = DecisionRecordV1.Create(in request, decision);
        var reasons = decision.Reasons.Select(r => new DecisionReason(AudienceOf(r.Agreement), r.ToString()))
            .Concat(decision.Diagnostics.Select(d => new DecisionReason(null, $"{d.Code}: {d.Message}")))
            .ToList();
        ActiveAgreement? agreement = null;
        ClauseId? clause = null;
        if (decision.IsPermit)
        {
            var reference = decision.Agreements[0];
            agreement = _agreements.First(a => a.Agreement.Id == reference.Id && a.Digest == reference.Digest);
            clause = decision.Reasons.FirstOrDefault(r => r.Code == ReasonCode.PermittedByGrant)?.Clause;
        }

        // The gateway's id names this decision event; the record keeps its own content id (equal requests at the
        // same instant share a record id, but never a gateway decision id).
        var id = DecisionId.FromRandom(RandomNumberGenerator.GetBytes(DecisionId.RandomByteCount));
        return new GatewayDecision(id, decision.IsPermit, agreement, decision.IsPermit ? decision.Obligations : null, clause, reasons, JsonSerializer.SerializeToElement(record.ToJson()));
    }

    private List<PartyId>? AudienceOf(AgreementId? agreement) =>
        agreement is { } id ? _agreements.Where(a => a.Agreement.Id == id).SelectMany(a => a.Agreement.Parties.Select(p => p.Id)).ToList() : null;
}
