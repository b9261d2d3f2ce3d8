using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Store.Registry;

/// <summary>
/// A recipient's service identity.
/// </summary>
/// <param name="ClientId">The client id.</param>
/// <param name="Recipient">The recipient party it acts for.</param>
/// <param name="Role">Its role, which bounds its actions.</param>
/// <param name="SecretHash">The SHA-256 of its secret; the secret itself is never stored.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, when it was.</param>
public sealed record IdentityRecord(
    IdentityId ClientId,
    PartyId Recipient,
    IdentityRole Role,
    ReadOnlyMemory<byte> SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
