namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// A Delta Sharing profile file: what a connector needs to read the recipient's shares (PROTOCOL.md "Profile File
/// Format"; version 2 as the connector's <c>python/delta_sharing/_internal_auth.py</c> reads it).
/// </summary>
/// <param name="ShareCredentialsVersion">1 or 2.</param>
/// <param name="Endpoint">The Delta Sharing server's address, ending in <c>/delta-sharing/</c>.</param>
/// <param name="Type">Version 2: <c>oauth_client_credentials</c>.</param>
/// <param name="TokenEndpoint">Version 2: the RFC 6749 §4.4 client-credentials endpoint.</param>
/// <param name="ClientId">Version 2: the identity's client id.</param>
/// <param name="ClientSecret">Version 2: the identity's secret, as the caller sent it (the gateway keeps only its hash).</param>
/// <param name="Scope">Version 2: <c>purpose:P jurisdiction:J</c>.</param>
/// <param name="BearerToken">Version 1: a share token.</param>
/// <param name="ExpirationTime">Version 1: when the share token expires.</param>
/// <remarks>
/// CAUTION: public format (a connector reads it); see docs/api.md "Delta Sharing". Security: it holds a secret; it is
/// answered with <c>Cache-Control: no-store</c>, never logged, and the command line writes it readable by its owner only.
/// </remarks>
internal sealed record DeltaSharingProfile(
    int ShareCredentialsVersion,
    string Endpoint,
    string? Type = null,
    string? TokenEndpoint = null,
    string? ClientId = null,
    string? ClientSecret = null,
    string? Scope = null,
    string? BearerToken = null,
    DateTimeOffset? ExpirationTime = null);
