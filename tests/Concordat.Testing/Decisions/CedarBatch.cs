namespace Concordat.Testing.Decisions;

/// <summary>Cedar's decisions for a batch, in request order, with the time it spent parsing policy sets and deciding.</summary>
public sealed record CedarBatch(IReadOnlyList<CedarDecision> Decisions, double ParseMilliseconds, double DecideMilliseconds);
