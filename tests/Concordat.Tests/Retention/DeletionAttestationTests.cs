using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Retention;
using Concordat.Testing.Log;

namespace Concordat.Tests.Retention;

public sealed class DeletionAttestationTests
{
    private static readonly DateTimeOffset s_deletedAt = new(2026, 4, 2, 8, 15, 0, TimeSpan.Zero);
    private static readonly Sha256Digest s_digest = Sha256Digest.Compute("rows"u8);

    [Fact]
    public void Statement_SignedAndVerified_ReadsBackTheSameClaim()
    {
        var key = LogTestData.CreateKey("northwind-research", 3);
        var claim = new DeletionClaim(new PartyId("northwind-research"), s_deletedAt, [new DeletedEgress(new DecisionId("dec_1"), s_digest), new DeletedEgress(new DecisionId("dec_2"), s_digest)]);

        var verified = Attestation.Verify(Attestation.Sign(DeletionAttestation.Statement(claim), key).ToJson(), [DsseVerifierKey.FromNoteKey(key.VerifierKey)], AttestationPredicateTypes.Deletion);
        var read = DeletionAttestation.TryRead(verified.Statement!, out var back, out var error);

        Assert.True(read, error?.ToString());
        Assert.Equal(claim.Recipient, back!.Recipient);
        Assert.Equal(claim.DeletedAt, back.DeletedAt);
        Assert.Equal(claim.Egress, back.Egress);
        Assert.Equal(["egress/dec_1", "egress/dec_2"], verified.Statement!.Subjects.Select(s => s.Name));
        Assert.Equal("2026-04-02T08:15:00Z", verified.Statement.Predicate["deletedAt"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("recipient", null, "no `recipient`")]
    [InlineData("deletedAt", "2026-04-02T10:15:00+02:00", "not an RFC 3339 UTC instant")]
    [InlineData("deletedAt", "yesterday", "not an RFC 3339 UTC instant")]
    public void TryRead_PredicateMemberWrong_Agr3550(string member, string? value, string expected)
    {
        var statement = DeletionAttestation.Statement(new DeletionClaim(new PartyId("northwind-research"), s_deletedAt, [new DeletedEgress(new DecisionId("dec_1"), s_digest)]));
        var predicate = (JsonObject)statement.Predicate.DeepClone();
        predicate[member] = value;

        var read = DeletionAttestation.TryRead(statement with { Predicate = predicate }, out _, out var error);

        Assert.False(read);
        Assert.Equal("AGR3550", error!.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_SubjectNotAnEgressOrNamedTwice_Agr3550()
    {
        var statement = DeletionAttestation.Statement(new DeletionClaim(new PartyId("northwind-research"), s_deletedAt, [new DeletedEgress(new DecisionId("dec_1"), s_digest)]));

        var notEgress = DeletionAttestation.TryRead(statement with { Subjects = [AttestationSubject.FromSha256("rows.csv", s_digest)] }, out _, out var notEgressError);
        var twice = DeletionAttestation.TryRead(statement with { Subjects = [statement.Subjects[0], statement.Subjects[0]] }, out _, out var twiceError);
        var otherKind = DeletionAttestation.TryRead(statement with { PredicateType = AttestationPredicateTypes.Egress }, out _, out var otherKindError);

        Assert.False(notEgress);
        Assert.Equal("AGR3550", notEgressError!.Code);
        Assert.False(twice);
        Assert.Contains("named twice", twiceError!.Message, StringComparison.Ordinal);
        Assert.False(otherKind);
        Assert.Equal("PRV5006", otherKindError!.Code);
    }

    [Fact]
    public void Statement_NoEgress_Throws() =>
        Assert.Throws<ArgumentException>(() => DeletionAttestation.Statement(new DeletionClaim(new PartyId("northwind-research"), s_deletedAt, [])));
}
