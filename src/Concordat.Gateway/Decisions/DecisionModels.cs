using System.Text.Json;

namespace Concordat.Gateway.Decisions;

/// <summary>The body of <c>POST /v1/decisions</c>.</summary>
/// <remarks>
/// Members with a default are optional in the schema; the handler requires the others. <c>role</c> asks the question
/// for a service identity of that role (<c>ingestion</c>, <c>training</c>, <c>deployment</c>, <c>analysis</c>).
/// </remarks>
internal sealed record DecideRequest(string? Recipient, string? Dataset, string? Purpose, string? Jurisdiction, string? Action = null, DateTimeOffset? At = null, string? Subprocessor = null, string? Role = null);

/// <summary>A decision, with every reason (the operator sees all of them) and the versioned record.</summary>
internal sealed record DecideResponse(string DecisionId, string Effect, IReadOnlyList<string> Reasons, string? Agreement, string? AgreementDigest, string? Clause, JsonElement? Record);
