using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Store.Registry;

namespace Concordat.Testing.Registry;

/// <summary>Registry records for store tests, filled with fixed values.</summary>
public static class RegistryRecords
{
    /// <summary>A live token of <paramref name="recipient"/>, issued at <paramref name="issuedAt"/> for 15 minutes.</summary>
    public static TokenRecord Token(string id, PartyId recipient, DateTimeOffset issuedAt) => new(
        new TokenId(id),
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)),
        new IdentityId("cid_1"),
        recipient,
        new AgreementId("a1"),
        Sha256Digest.Compute("a1"u8),
        new DatasetId("ds"),
        new PurposeId("training"),
        new Jurisdiction("GB"),
        new DecisionId(DecisionId.Prefix + id),
        """{"fieldRules":[]}""",
        issuedAt,
        issuedAt.AddMinutes(15),
        null,
        new PartyId("cloud-1"),
        DataAction.AggregateQuery);
}
