namespace Concordat.Gateway.Recipients;

/// <summary>The body of an identity creation.</summary>
/// <param name="Role">The role: <c>ingestion</c>, <c>training</c>, <c>deployment</c> or <c>analysis</c>.</param>
internal sealed record IdentityRequest(string? Role);

/// <summary>A created identity; <paramref name="ClientSecret"/> is shown this once and stored only as a hash.</summary>
internal sealed record IdentityCreated(string ClientId, string ClientSecret, string Recipient, string Role);

/// <summary>A service identity as listed: never its secret.</summary>
internal sealed record IdentitySummary(string ClientId, string Recipient, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A revoked identity, with the number of its tokens revoked with it.</summary>
internal sealed record IdentityRevoked(string ClientId, string Recipient, DateTimeOffset RevokedAt, int TokensRevoked);

/// <summary>The body of a seal or unseal.</summary>
/// <param name="Reason">Why, as the operator writes it; a default reason is recorded when left out.</param>
internal sealed record SealRequest(string? Reason = null);

/// <summary>
/// A seal in force (since <paramref name="SealedAt"/>), with what this act revoked and stopped, its reason and the
/// measured time from the request to enforcement; <paramref name="WasSealed"/> when an earlier seal was in force already.
/// </summary>
internal sealed record SealResponse(string Recipient, DateTimeOffset SealedAt, string Reason, int TokensRevoked, int IdentitiesRevoked, int StreamsStopped, double EnforcementMilliseconds, bool WasSealed);

/// <summary>The outcome of an unseal.</summary>
internal sealed record UnsealResponse(string Recipient, bool WasSealed, string Note);

/// <summary>Who can do what right now, and why.</summary>
internal sealed record AccessReview(DateTimeOffset At, IReadOnlyList<AccessReviewEntry> Identities);

/// <summary>One identity in the review: its role's actions, the grants that apply, its live tokens.</summary>
internal sealed record AccessReviewEntry(string ClientId, string Recipient, string Role, IReadOnlyList<string> RoleActions, bool IsSealed, IReadOnlyList<AccessReviewGrant> Grants, IReadOnlyList<AccessReviewToken> LiveTokens);

/// <summary>
/// A grant that applies to an identity's recipient: the actions the identity's role lets it take under it
/// (<paramref name="Actions"/>), those the grant names (<paramref name="GrantActions"/>), whether it may act under it now
/// (<paramref name="IsInForce"/>), and why not when it may not (<paramref name="Status"/>: <c>in-force</c>,
/// <c>role-excludes</c> when the role allows none of the grant's actions, <c>sealed</c>, or <c>outside-window</c>
/// when the grant's or the agreement's window, or a termination, does not cover now).
/// </summary>
internal sealed record AccessReviewGrant(string Agreement, int Version, string Digest, string Clause, IReadOnlyList<string> Datasets, IReadOnlyList<string> Purposes, IReadOnlyList<string> Actions, IReadOnlyList<string> Jurisdictions, DateTimeOffset From, DateTimeOffset? Until, bool IsInForce, IReadOnlyList<string> GrantActions, string Status);

/// <summary>
/// A live token: neither revoked nor expired, and issued under an agreement version still in force (a token of a version
/// an amendment superseded is refused, GW6009, so it is not listed); or a live Delta Sharing share token.
/// </summary>
/// <param name="TokenId">The token's id (never its bearer value).</param>
/// <param name="Dataset">The dataset it was issued for; none for a share token, which reads every table of its shares.</param>
/// <param name="Purpose">The purpose.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="DecisionId">The decision that issued it (for a share token, the permit it was issued on; its every table query is still decided on its own; none for share tokens issued before 2026-12-04).</param>
/// <param name="Kind"><c>dataset</c> (from <c>POST /v1/tokens</c>) or <c>share</c> (a Delta Sharing share token).</param>
/// <param name="Jurisdiction">Where the data is processed.</param>
internal sealed record AccessReviewToken(string TokenId, string? Dataset, string Purpose, DateTimeOffset ExpiresAt, string? DecisionId, string Kind, string Jurisdiction);
