namespace Concordat.Gateway.Tokens;

/// <summary>The body of <c>POST /v1/tokens</c>; the client authenticates with HTTP Basic.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Purpose">The purpose.</param>
/// <param name="Jurisdiction">Where the data will be processed.</param>
/// <param name="Action">The action: <c>read-rows</c> (default), <c>aggregate-query</c> or <c>download-snapshot</c>, as the agreement names it (the camelCase <c>readRows</c> is read too, and deprecated).</param>
/// <param name="LifetimeSeconds">The lifetime wanted; the token gets the least of this, the agreement's cap and 15 minutes.</param>
/// <param name="Subprocessor">The party that will process the data for the recipient, when one will; the grant must allow it.</param>
/// <remarks>Members with a default are optional in the schema; the handler requires the others.</remarks>
internal sealed record TokenRequest(string? Dataset, string? Purpose, string? Jurisdiction, string? Action = null, int? LifetimeSeconds = null, string? Subprocessor = null);
