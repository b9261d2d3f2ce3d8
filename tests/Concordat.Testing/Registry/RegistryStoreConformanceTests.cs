using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Store;
using Concordat.Store.Registry;
using Xunit;

namespace Concordat.Testing.Registry;

/// <summary>
/// The contract of <see cref="IRegistryStore"/>, run against the registry of every engine: each engine's test class
/// inherits this class and supplies a fresh engine over an empty database.
/// </summary>
public abstract class RegistryStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly PartyId s_lab = new("lab");
    private static readonly PartyId s_other = new("other-lab");
    private readonly List<IStoreEngine> _engines = [];

    /// <summary>Creates a fresh engine over an empty database; the suite disposes it after the test.</summary>
    protected abstract Task<IStoreEngine> CreateEngineAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }

    /// <summary>Creates a fresh, empty, initialised store, the registry of a fresh engine.</summary>
    protected async Task<IRegistryStore> CreateStoreAsync()
    {
        var engine = await CreateEngineAsync();
        _engines.Add(engine);
        await engine.Registry.InitializeAsync(default);
        return engine.Registry;
    }

    [Fact]
    public async Task InitializeAsync_CalledTwice_KeepsData()
    {
        var store = await CreateStoreAsync();
        await store.PutPartyAsync(new PartyRecord(s_lab, "Lab Ltd", s_t0), default);

        await store.InitializeAsync(default);

        Assert.Single(await store.ListPartiesAsync(default));
    }

    [Fact]
    public async Task PutPartyAsync_Twice_UpdatesNameAndKeepsFirstRegistration()
    {
        var store = await CreateStoreAsync();

        await store.PutPartyAsync(new PartyRecord(s_lab, "Lab Ltd", s_t0), default);
        await store.PutPartyAsync(new PartyRecord(s_lab, "Lab Limited", s_t0.AddDays(1)), default);

        var party = Assert.Single(await store.ListPartiesAsync(default));
        Assert.Equal(new PartyRecord(s_lab, "Lab Limited", s_t0), party);
    }

    [Fact]
    public async Task AddAgreementVersionAsync_RoundTrips_DocumentAndSignaturesInOrder()
    {
        var store = await CreateStoreAsync();
        var record = Agreement("a1", 1);

        Assert.True(await store.AddAgreementVersionAsync(record, default));
        var read = await store.GetAgreementVersionAsync(record.Id, 1, default);

        Assert.NotNull(read);
        Assert.Equal(record.Document.ToArray(), read.Document.ToArray());
        Assert.Equal(record.Signatures, read.Signatures);
        Assert.Equal(record.Digest, read.Digest);
        Assert.Equal(AgreementVersionState.Pending, read.State);
        Assert.Equal(s_t0, read.UploadedAt);
    }

    [Fact]
    public async Task AddAgreementVersionAsync_SameVersionTwice_ReturnsFalseAndKeepsFirst()
    {
        var store = await CreateStoreAsync();
        await store.AddAgreementVersionAsync(Agreement("a1", 1), default);

        var added = await store.AddAgreementVersionAsync(Agreement("a1", 1, "changed"), default);

        Assert.False(added);
        var read = await store.GetAgreementVersionAsync(new AgreementId("a1"), 1, default);
        Assert.Equal("doc a1 1"u8.ToArray(), read!.Document.ToArray());
    }

    [Fact]
    public async Task GetAgreementVersionAsync_Unknown_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAgreementVersionAsync(new AgreementId("nope' OR '1'='1"), 1, default));
    }

    [Fact]
    public async Task ActivateAgreementVersionAsync_NewVersion_SupersedesTheActiveOne()
    {
        var store = await CreateStoreAsync();
        await store.AddAgreementVersionAsync(Agreement("a1", 1), default);
        await store.AddAgreementVersionAsync(Agreement("a1", 2), default);
        Assert.Null(await store.ActivateAgreementVersionAsync(new AgreementId("a1"), 1, s_t0, default));

        var superseded = await store.ActivateAgreementVersionAsync(new AgreementId("a1"), 2, s_t0.AddHours(1), default);

        Assert.Equal(1, superseded);
        var versions = await store.ListAgreementVersionsAsync(default);
        Assert.Equal([AgreementVersionState.Superseded, AgreementVersionState.Active], versions.Select(v => v.State));
        Assert.Equal(s_t0.AddHours(1), versions[1].ActivatedAt);
    }

    [Fact]
    public async Task ActivateAgreementVersionAsync_OlderThanActive_Throws()
    {
        var store = await CreateStoreAsync();
        await store.AddAgreementVersionAsync(Agreement("a1", 1), default);
        await store.AddAgreementVersionAsync(Agreement("a1", 2), default);
        await store.ActivateAgreementVersionAsync(new AgreementId("a1"), 2, s_t0, default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ActivateAgreementVersionAsync(new AgreementId("a1"), 1, s_t0, default));
    }

    [Fact]
    public async Task ActivateAgreementVersionAsync_Unknown_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ActivateAgreementVersionAsync(new AgreementId("a9"), 1, s_t0, default));
    }

    [Fact]
    public async Task ActivateAgreementVersionAsync_OtherAgreement_IsUntouched()
    {
        var store = await CreateStoreAsync();
        await store.AddAgreementVersionAsync(Agreement("a1", 1), default);
        await store.AddAgreementVersionAsync(Agreement("b1", 1), default);
        await store.ActivateAgreementVersionAsync(new AgreementId("a1"), 1, s_t0, default);

        await store.ActivateAgreementVersionAsync(new AgreementId("b1"), 1, s_t0, default);

        Assert.All(await store.ListAgreementVersionsAsync(default), v => Assert.Equal(AgreementVersionState.Active, v.State));
    }

    [Fact]
    public async Task FindIdentityAsync_Added_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var identity = Identity("cid_1", s_lab);
        await store.AddIdentityAsync(identity, default);

        var read = await store.FindIdentityAsync(identity.ClientId, default);

        Assert.NotNull(read);
        Assert.Equal(identity.SecretHash.ToArray(), read.SecretHash.ToArray());
        Assert.Equal((identity.Recipient, identity.Role, identity.CreatedAt, identity.RevokedAt), (read.Recipient, read.Role, read.CreatedAt, read.RevokedAt));
    }

    [Fact]
    public async Task FindIdentityAsync_Unknown_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindIdentityAsync(new IdentityId("cid_none"), default));
    }

    [Fact]
    public async Task FindTokenByHashAsync_Added_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var token = Token("tok_1", s_lab);
        await store.AddTokenAsync(token, default);

        var read = await store.FindTokenByHashAsync(token.Hash, default);

        Assert.NotNull(read);
        Assert.Equal(token with { Hash = default }, read with { Hash = default });
        Assert.Equal(token.Hash.ToArray(), read.Hash.ToArray());
    }

    [Fact]
    public async Task FindTokenByHashAsync_OtherHash_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.AddTokenAsync(Token("tok_1", s_lab), default);

        Assert.Null(await store.FindTokenByHashAsync(SHA256.HashData("other"u8), default));
    }

    [Fact]
    public async Task RevokeTokenAsync_Live_RevokesOnceAndDropsFromLiveList()
    {
        var store = await CreateStoreAsync();
        await store.AddTokenAsync(Token("tok_1", s_lab), default);
        await store.AddTokenAsync(Token("tok_2", s_lab), default);

        Assert.True(await store.RevokeTokenAsync(new TokenId("tok_1"), s_t0.AddMinutes(1), default));
        Assert.False(await store.RevokeTokenAsync(new TokenId("tok_1"), s_t0.AddMinutes(2), default));

        var live = await store.ListLiveTokensAsync(s_t0.AddMinutes(3), default);
        Assert.Equal(["tok_2"], live.Select(t => t.Id.Value));
        Assert.Equal(s_t0.AddMinutes(1), (await store.FindTokenAsync(new TokenId("tok_1"), default))!.RevokedAt);
    }

    [Fact]
    public async Task RevokeIdentityAsync_Live_RevokesItAndOnlyItsTokensOnce()
    {
        var store = await CreateStoreAsync();
        await store.AddIdentityAsync(Identity("cid_1", s_lab), default);
        await store.AddIdentityAsync(Identity("cid_2", s_lab), default);
        await store.AddTokenAsync(Token("tok_1", s_lab), default);
        await store.AddTokenAsync(Token("tok_2", s_lab) with { ClientId = new IdentityId("cid_2") }, default);

        var revoked = await store.RevokeIdentityAsync(new IdentityId("cid_1"), s_t0.AddMinutes(1), default);
        var again = await store.RevokeIdentityAsync(new IdentityId("cid_1"), s_t0.AddMinutes(2), default);
        var unknown = await store.RevokeIdentityAsync(new IdentityId("cid_9"), s_t0.AddMinutes(2), default);

        Assert.Equal(["tok_1"], revoked!.Select(t => t.Value));
        Assert.Null(again);
        Assert.Null(unknown);
        Assert.Equal(s_t0.AddMinutes(1), (await store.FindIdentityAsync(new IdentityId("cid_1"), default))!.RevokedAt);
        Assert.Null((await store.FindIdentityAsync(new IdentityId("cid_2"), default))!.RevokedAt);
        Assert.Equal(["tok_2"], (await store.ListLiveTokensAsync(s_t0.AddMinutes(3), default)).Select(t => t.Id.Value));
    }

    [Fact]
    public async Task AddTokenAsync_ManyConcurrentWithOneFailing_StoresEveryOtherAndStaysWritable()
    {
        var store = await CreateStoreAsync();
        await store.AddTokenAsync(Token("tok_dup", s_lab), default);

        var adds = Enumerable.Range(0, 64).Select(i => store.AddTokenAsync(Token($"tok_{i}", s_lab), default)).ToList();
        var duplicate = store.AddTokenAsync(Token("tok_dup", s_lab), default);
        await Task.WhenAll(adds);
        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        Assert.True(await store.RevokeTokenAsync(new TokenId("tok_dup"), s_t0.AddMinutes(1), default));

        var live = await store.ListLiveTokensAsync(s_t0.AddMinutes(1), default);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"tok_{i}").Order(StringComparer.Ordinal), live.Select(t => t.Id.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListLiveTokensAsync_AfterExpiry_ExcludesToken()
    {
        var store = await CreateStoreAsync();
        await store.AddTokenAsync(Token("tok_1", s_lab), default);

        Assert.Single(await store.ListLiveTokensAsync(s_t0.AddMinutes(14), default));
        Assert.Empty(await store.ListLiveTokensAsync(s_t0.AddMinutes(15), default));
    }

    [Fact]
    public async Task SealAsync_RevokesEveryTokenAndIdentityOfTheRecipientOnly()
    {
        var store = await CreateStoreAsync();
        await store.AddIdentityAsync(Identity("cid_1", s_lab), default);
        await store.AddIdentityAsync(Identity("cid_2", s_other), default);
        await store.AddTokenAsync(Token("tok_1", s_lab), default);
        await store.AddTokenAsync(Token("tok_2", s_lab), default);
        await store.AddTokenAsync(Token("tok_3", s_other), default);

        var seal = await store.SealAsync(s_lab, s_t0.AddMinutes(1), "suspected exfiltration", default);

        Assert.Equal(new SealAct(new SealRecord(s_lab, s_t0.AddMinutes(1), "suspected exfiltration", 2, 1, null), 2, 1, false), seal);
        Assert.Equal(["tok_3"], (await store.ListLiveTokensAsync(s_t0.AddMinutes(2), default)).Select(t => t.Id.Value));
        Assert.NotNull((await store.FindIdentityAsync(new IdentityId("cid_1"), default))!.RevokedAt);
        Assert.Null((await store.FindIdentityAsync(new IdentityId("cid_2"), default))!.RevokedAt);
        Assert.Equal(seal.Seal, await store.FindSealAsync(s_lab, default));
        Assert.Null(await store.FindSealAsync(s_other, default));
    }

    [Fact]
    public async Task SealAsync_AlreadySealed_KeepsTheFirstSeal()
    {
        var store = await CreateStoreAsync();
        var first = await store.SealAsync(s_lab, s_t0, "first", default);

        await store.AddTokenAsync(Token("tok_1", s_lab), default);

        var second = await store.SealAsync(s_lab, s_t0.AddMinutes(1), "second", default);

        Assert.Equal(first.Seal, second.Seal);
        Assert.True(second.WasSealed);
        Assert.Equal((1, 0), (second.TokensRevoked, second.IdentitiesRevoked));
    }

    [Fact]
    public async Task AddIdentityAsync_RecipientSealed_StoresNothing()
    {
        var store = await CreateStoreAsync();
        await store.SealAsync(s_lab, s_t0, "drill", default);

        var added = await store.AddIdentityAsync(Identity("cid_1", s_lab), default);
        await store.UnsealAsync(s_lab, s_t0.AddMinutes(1), default);

        Assert.False(added);
        Assert.Null(await store.FindIdentityAsync(new IdentityId("cid_1"), default));
        Assert.True(await store.AddIdentityAsync(Identity("cid_2", s_lab), default));
    }

    [Fact]
    public async Task SealAsync_Concurrent_RecordsOneSeal()
    {
        var store = await CreateStoreAsync();

        var seals = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.SealAsync(s_lab, s_t0.AddSeconds(i), $"r{i}", default)));

        Assert.Single(seals.Select(s => s.Seal).Distinct());
        Assert.Single(seals, s => !s.WasSealed);
    }

    [Fact]
    public async Task UnsealAsync_Sealed_LiftsSealButTokensStayRevoked()
    {
        var store = await CreateStoreAsync();
        await store.AddTokenAsync(Token("tok_1", s_lab), default);
        await store.SealAsync(s_lab, s_t0, "r", default);

        Assert.True(await store.UnsealAsync(s_lab, s_t0.AddMinutes(1), default));
        Assert.False(await store.UnsealAsync(s_lab, s_t0.AddMinutes(2), default));

        Assert.Null(await store.FindSealAsync(s_lab, default));
        Assert.Empty(await store.ListLiveTokensAsync(s_t0.AddMinutes(3), default));
    }

    [Fact]
    public async Task SealAsync_AfterUnseal_RecordsANewSeal()
    {
        var store = await CreateStoreAsync();
        await store.SealAsync(s_lab, s_t0, "first", default);
        await store.UnsealAsync(s_lab, s_t0.AddMinutes(1), default);

        var seal = await store.SealAsync(s_lab, s_t0.AddMinutes(2), "second", default);

        Assert.Equal("second", seal.Seal.Reason);
        Assert.Equal("second", (await store.FindSealAsync(s_lab, default))!.Reason);
    }

    [Fact]
    public async Task ListIdentitiesAsync_OrdersByRecipientThenClientId()
    {
        var store = await CreateStoreAsync();
        await store.AddIdentityAsync(Identity("cid_b", s_other), default);
        await store.AddIdentityAsync(Identity("cid_z", s_lab), default);
        await store.AddIdentityAsync(Identity("cid_a", s_lab), default);

        var list = await store.ListIdentitiesAsync(default);

        Assert.Equal(["cid_a", "cid_z", "cid_b"], list.Select(i => i.ClientId.Value));
    }

    [Fact]
    public async Task FindReceiptAsync_Added_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var receipt = new ReceiptRecord(new DecisionId("dec_1"), new TokenId("tok_1"), s_lab, new DatasetId("ds"), "csv", 1000, 123456, Sha256Digest.Compute("bytes"u8), true, 42, s_t0);
        await store.AddReceiptAsync(receipt, default);

        Assert.Equal(receipt, await store.FindReceiptAsync(new DecisionId("dec_1"), default));
        Assert.Null(await store.FindReceiptAsync(new DecisionId("dec_2"), default));
    }

    [Fact]
    public async Task FindReportAsync_Added_RoundTripsTheDocumentByteForByte()
    {
        var store = await CreateStoreAsync();
        var document = "{\"summary\":\"s\u00e9\"}\n"u8.ToArray();

        var added = await store.AddReportAsync(new ReportContentRecord(new ReportId("rep_1"), s_t0, document), default);
        var found = await store.FindReportAsync(new ReportId("rep_1"), default);

        Assert.True(added);
        Assert.Equal(new ReportId("rep_1"), found!.Id);
        Assert.Equal(s_t0, found.ReceivedAt);
        Assert.Equal(document, found.Document);
        Assert.Null(await store.FindReportAsync(new ReportId("rep_2"), default));
    }

    [Fact]
    public async Task AddReportAsync_IdStoredAlready_WritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.AddReportAsync(new ReportContentRecord(new ReportId("rep_1"), s_t0, "first"u8.ToArray()), default);

        var added = await store.AddReportAsync(new ReportContentRecord(new ReportId("rep_1"), s_t0.AddMinutes(1), "second"u8.ToArray()), default);

        Assert.False(added);
        Assert.Equal("first"u8.ToArray(), (await store.FindReportAsync(new ReportId("rep_1"), default))!.Document);
    }

    [Fact]
    public async Task DeleteReportAsync_Stored_RemovesItOnce()
    {
        var store = await CreateStoreAsync();
        await store.AddReportAsync(new ReportContentRecord(new ReportId("rep_1"), s_t0, "words"u8.ToArray()), default);

        var first = await store.DeleteReportAsync(new ReportId("rep_1"), default);
        var second = await store.DeleteReportAsync(new ReportId("rep_1"), default);

        Assert.True(first);
        Assert.False(second);
        Assert.Null(await store.FindReportAsync(new ReportId("rep_1"), default));
    }

    private static AgreementVersionRecord Agreement(string id, int version, string? text = null) => new(
        new AgreementId(id),
        version,
        Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"{id}{version}")),
        System.Text.Encoding.UTF8.GetBytes(text ?? $"doc {id} {version}"),
        [new AgreementSignatureRecord("provider", "sig-1"), new AgreementSignatureRecord("lab", "sig-2")],
        AgreementVersionState.Pending,
        s_t0,
        null);

    private static IdentityRecord Identity(string clientId, PartyId recipient) =>
        new(new IdentityId(clientId), recipient, IdentityRole.Training, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(clientId)), s_t0, null);

    private static TokenRecord Token(string id, PartyId recipient) => RegistryRecords.Token(id, recipient, s_t0);
}
