using Concordat.Agreements;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Recipients;
using Concordat.Storage.Sqlite;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Concordat.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Gateway.Tests.Recipients;

public sealed class RevocationListenerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PartyId s_lab = new("lab");
    private static readonly TokenId s_token = new("tok_1");
    private static readonly TokenId s_otherToken = new("tok_2");

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-revocations-").FullName;
    private readonly StreamRegistry _streams = new();
    private SqliteStoreEngine _engine = null!;
    private IRegistryStore _store = null!;
    private RevocationListener _listener = null!;
    private PolicyState _policy = null!;

    public async Task InitializeAsync()
    {
        _engine = new SqliteStoreEngine(_folder);
        _store = _engine.Registry;
        await _store.InitializeAsync(default);
        _policy = new PolicyState(_store, new AgreementChecker(GatewayWorkspace.OpenOrCreate(_folder)), NullLogger<PolicyState>.Instance);
        _listener = new RevocationListener(_engine.Revocations, _streams, _store, _policy, NullLogger<RevocationListener>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _policy.Dispose();
    }

    [Fact]
    public void Apply_Seal_StopsRecipientStreamsAndMarksIt()
    {
        using var stream = _streams.Register(s_lab, s_token, default);
        using var other = _streams.Register(new PartyId("other-lab"), s_otherToken, default);

        _listener.Apply(new RevocationNotice(RevocationKind.Seal, s_lab, null));

        Assert.True(stream.Token.IsCancellationRequested);
        Assert.Equal("seal", stream.StoppedBy);
        Assert.False(other.Token.IsCancellationRequested);
        Assert.True(_streams.IsSealed(s_lab));
    }

    [Fact]
    public void Apply_Unseal_LiftsMark()
    {
        _streams.Seal(s_lab);

        _listener.Apply(new RevocationNotice(RevocationKind.Unseal, s_lab, null));

        Assert.False(_streams.IsSealed(s_lab));
    }

    [Fact]
    public void Apply_TokenRevoked_StopsOnlyStreamsOfThatToken()
    {
        using var revoked = _streams.Register(s_lab, s_token, default);
        using var other = _streams.Register(s_lab, s_otherToken, default);

        _listener.Apply(new RevocationNotice(RevocationKind.TokenRevoked, s_lab, s_token));

        Assert.True(revoked.Token.IsCancellationRequested);
        Assert.Equal("revocation", revoked.StoppedBy);
        Assert.False(other.Token.IsCancellationRequested);
        Assert.False(_streams.IsSealed(s_lab));
    }

    [Fact]
    public async Task ResyncAsync_SealInStore_StopsStreamsAndMarks()
    {
        await _store.AddTokenAsync(RegistryRecords.Token(s_token.Value, s_lab, s_t0), default);
        using var stream = _streams.Register(s_lab, s_token, default);
        await _store.SealAsync(s_lab, s_t0, "missed while disconnected", default);

        await _listener.ResyncAsync(default);

        Assert.True(stream.Token.IsCancellationRequested);
        Assert.Equal("seal", stream.StoppedBy);
        Assert.True(_streams.IsSealed(s_lab));
    }

    [Fact]
    public async Task ResyncAsync_MarkWithoutSealInStore_LiftsMark()
    {
        _streams.Seal(s_lab);

        await _listener.ResyncAsync(default);

        Assert.False(_streams.IsSealed(s_lab));
    }

    [Fact]
    public async Task ResyncAsync_RevokedTokenUnderWay_StopsItsStream()
    {
        await _store.AddTokenAsync(RegistryRecords.Token(s_token.Value, s_lab, s_t0), default);
        await _store.AddTokenAsync(RegistryRecords.Token(s_otherToken.Value, s_lab, s_t0), default);
        using var revoked = _streams.Register(s_lab, s_token, default);
        using var live = _streams.Register(s_lab, s_otherToken, default);
        await _store.RevokeTokenAsync(s_token, s_t0, default);

        await _listener.ResyncAsync(default);

        Assert.Equal("revocation", revoked.StoppedBy);
        Assert.False(live.Token.IsCancellationRequested);
        Assert.False(_streams.IsSealed(s_lab));
    }
}
