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

/// <summary>A seal in force, with the measured time from the request to enforcement.</summary>
internal sealed record SealResponse(string Recipient, DateTimeOffset SealedAt, string Reason, int TokensRevoked, int IdentitiesRevoked, int StreamsStopped, double EnforcementMilliseconds);

/// <summary>The outcome of an unseal.</summary>
internal sealed record UnsealResponse(string Recipient, bool WasSealed, string Note);

/// <summary>Who can do what right now, and why.</summary>
internal sealed record AccessReview(DateTimeOffset At, IReadOnlyList<AccessReviewEntry> Identities);

/// <summary>One identity in the review: its role's actions, the grants that apply, its live tokens.</summary>
internal sealed record AccessReviewEntry(string ClientId, string Recipient, string Role, IReadOnlyList<string> RoleActions, bool IsSealed, IReadOnlyList<AccessReviewGrant> Grants, IReadOnlyList<AccessReviewToken> LiveTokens);

/// <summary>A grant that applies to an identity: what it may do under it now (<paramref name="IsInForce"/>), and why.</summary>
internal sealed record AccessReviewGrant(string Agreement, int Version, string Digest, string Clause, IReadOnlyList<string> Datasets, IReadOnlyList<string> Purposes, IReadOnlyList<string> Actions, IReadOnlyList<string> Jurisdictions, DateTimeOffset From, DateTimeOffset? Until, bool IsInForce);

/// <summary>A live token.</summary>
internal sealed record AccessReviewToken(string TokenId, string Dataset, string Purpose, DateTimeOffset ExpiresAt, string DecisionId);
