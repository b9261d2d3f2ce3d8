using Concordat.Gateway.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>Builds a decision engine for a set of agreements in force.</summary>
internal interface IDecisionEngineFactory
{
    /// <summary>Builds the engine; the list may be empty (every request is then denied).</summary>
    IDecisionEngine Create(IReadOnlyList<ActiveAgreement> agreements);
}
