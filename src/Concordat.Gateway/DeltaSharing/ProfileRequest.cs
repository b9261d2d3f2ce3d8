namespace Concordat.Gateway.DeltaSharing;

/// <summary>The body of <c>POST /v1/delta-sharing/profiles</c>; the recipient's identity authenticates with HTTP Basic.</summary>
/// <param name="Purpose">The purpose every table query made with the profile is decided for.</param>
/// <param name="Jurisdiction">Where the data will be processed.</param>
/// <param name="ShareCredentialsVersion">The profile version: 2 (default; <c>oauth_client_credentials</c>, the connector refreshes its token itself) or 1 (a bearer token that lasts 15 minutes at most).</param>
/// <remarks>Members with a default are optional in the schema; the handler requires the others.</remarks>
internal sealed record ProfileRequest(string? Purpose, string? Jurisdiction, int? ShareCredentialsVersion = null);
