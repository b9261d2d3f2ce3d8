namespace Concordat.Testing.Decisions;

/// <summary>What Cedar decided for one request: allow or deny, the determining policy ids, and evaluation errors.</summary>
public sealed record CedarDecision(bool IsAllow, IReadOnlyList<string> Reasons, IReadOnlyList<string> Errors);
