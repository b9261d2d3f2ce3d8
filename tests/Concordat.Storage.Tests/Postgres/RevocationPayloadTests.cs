using Concordat.Agreements;
using Concordat.Storage.Postgres.Revocation;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;

namespace Concordat.Storage.Tests.Postgres;

public sealed class RevocationPayloadTests
{
    public static TheoryData<RevocationNotice> Notices => new()
    {
        new RevocationNotice(RevocationKind.Seal, new PartyId("lab"), null),
        new RevocationNotice(RevocationKind.Unseal, new PartyId("lab"), null),
        new RevocationNotice(RevocationKind.TokenRevoked, new PartyId("lab"), new TokenId("tok_abc")),
        new RevocationNotice(RevocationKind.Seal, new PartyId("quote\"back\\slash é"), null),
    };

    [Theory]
    [MemberData(nameof(Notices))]
    public void TryParse_Format_RoundTrips(RevocationNotice notice)
    {
        var parsed = RevocationPayload.TryParse(RevocationPayload.Format(notice), out var read);

        Assert.True(parsed);
        Assert.Equal(notice, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("seal lab")]
    [InlineData("[]")]
    [InlineData("""{"v":2,"kind":"seal","recipient":"lab"}""")]
    [InlineData("""{"kind":"seal","recipient":"lab"}""")]
    [InlineData("""{"v":1,"kind":"freeze","recipient":"lab"}""")]
    [InlineData("""{"v":1,"kind":"seal"}""")]
    [InlineData("""{"v":1,"kind":"seal","recipient":""}""")]
    [InlineData("""{"v":1,"kind":"seal","recipient":7}""")]
    [InlineData("""{"v":1,"kind":"seal","recipient":"lab","token":"tok_1"}""")]
    [InlineData("""{"v":1,"kind":"token-revoked","recipient":"lab"}""")]
    [InlineData("""{"v":1,"kind":"seal","recipient":"lab" """)]
    public void TryParse_NotUnderstood_ReturnsFalse(string? payload)
    {
        var parsed = RevocationPayload.TryParse(payload, out var notice);

        Assert.False(parsed);
        Assert.Null(notice);
    }

    [Fact]
    public void TryParse_UnknownExtraField_IsIgnored()
    {
        var parsed = RevocationPayload.TryParse("""{"v":1,"kind":"unseal","recipient":"lab","by":"replica-2"}""", out var notice);

        Assert.True(parsed);
        Assert.Equal(new RevocationNotice(RevocationKind.Unseal, new PartyId("lab"), null), notice);
    }
}
