namespace Concordat.Store.Registry;

/// <summary>
/// What one call of <see cref="IRegistryStore.SealAsync"/> did: the seal in force after it, and the credentials this
/// call revoked (not those of an earlier seal).
/// </summary>
/// <param name="Seal">The seal in force after the call; the earlier one when the recipient was sealed already.</param>
/// <param name="TokensRevoked">How many live tokens this call revoked.</param>
/// <param name="IdentitiesRevoked">How many identities this call revoked.</param>
/// <param name="WasSealed">Whether the recipient was sealed before the call.</param>
public sealed record SealAct(SealRecord Seal, int TokensRevoked, int IdentitiesRevoked, bool WasSealed);
