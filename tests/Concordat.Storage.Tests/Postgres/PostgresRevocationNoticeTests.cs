using System.Threading.Channels;
using Concordat.Agreements;
using Concordat.Storage.Postgres;
using Concordat.Storage.Postgres.Registry;
using Concordat.Storage.Postgres.Revocation;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Concordat.Testing;
using Concordat.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Concordat.Storage.Tests.Postgres;

/// <summary>
/// The notices <see cref="PostgresRegistryStore"/> sends on <see cref="RevocationPayload.Channel"/>, read by a plain
/// <c>LISTEN</c> connection as a gateway replica reads them.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRevocationNoticeTests(PostgresServer server) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly PartyId s_lab = new("lab");

    // Invariant: a test that waits for a notice fails instead of hanging when none comes.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private readonly Channel<string> _payloads = Channel.CreateUnbounded<string>();
    private PostgresStoreEngine _engine = null!;
    private IRegistryStore _store = null!;
    private NpgsqlConnection _listener = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await server.CreateDatabaseAsync("notices");
        _engine = new PostgresStoreEngine(connectionString, new FakeTimeProvider(), NullLoggerFactory.Instance);
        _store = _engine.Registry;
        await _store.InitializeAsync(default);
        _listener = new NpgsqlConnection(connectionString);
        await _listener.OpenAsync();
        _listener.Notification += (_, e) => _payloads.Writer.TryWrite(e.Payload);
        await using var listen = new NpgsqlCommand($"LISTEN {RevocationPayload.Channel}", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _engine.DisposeAsync();
    }

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task SealAsync_Committed_SendsSealNoticeWithRecipientOnly()
    {
        await _store.SealAsync(s_lab, s_t0, "incident 7: leaked key", default);

        var payload = await NextPayloadAsync();

        Assert.Equal("""{"v":1,"kind":"seal","recipient":"lab"}""", payload);
    }

    [Fact]
    public async Task SealAsync_AlreadySealed_SendsSealNoticeAgain()
    {
        await _store.SealAsync(s_lab, s_t0, "first", default);
        await _store.SealAsync(s_lab, s_t0.AddMinutes(1), "second", default);

        var first = await NextNoticeAsync();
        var second = await NextNoticeAsync();

        Assert.Equal(new RevocationNotice(RevocationKind.Seal, s_lab, null), first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task UnsealAsync_SealInForce_SendsUnsealNotice()
    {
        await _store.SealAsync(s_lab, s_t0, "drill", default);
        await _store.UnsealAsync(s_lab, s_t0.AddMinutes(1), default);

        var seal = await NextNoticeAsync();
        var unseal = await NextNoticeAsync();

        Assert.Equal(RevocationKind.Seal, seal.Kind);
        Assert.Equal(new RevocationNotice(RevocationKind.Unseal, s_lab, null), unseal);
    }

    [Fact]
    public async Task UnsealAsync_NotSealed_SendsNothing()
    {
        var lifted = await _store.UnsealAsync(s_lab, s_t0, default);
        await _store.SealAsync(new PartyId("other-lab"), s_t0, "marker", default);

        var next = await NextNoticeAsync();

        // Notices arrive in commit order, so the marker coming first shows the unseal sent none.
        Assert.False(lifted);
        Assert.Equal(new RevocationNotice(RevocationKind.Seal, new PartyId("other-lab"), null), next);
    }

    [Fact]
    public async Task RevokeTokenAsync_LiveToken_SendsTokenNoticeWithoutHash()
    {
        var token = RegistryRecords.Token("tok_1", s_lab, s_t0);
        await _store.AddTokenAsync(token, default);

        await _store.RevokeTokenAsync(token.Id, s_t0.AddMinutes(1), default);
        var payload = await NextPayloadAsync();

        Assert.Equal("""{"v":1,"kind":"token-revoked","recipient":"lab","token":"tok_1"}""", payload);
        Assert.DoesNotContain(Convert.ToHexStringLower(token.Hash.Span), payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeTokenAsync_AlreadyRevoked_SendsNothing()
    {
        var token = RegistryRecords.Token("tok_1", s_lab, s_t0);
        await _store.AddTokenAsync(token, default);
        await _store.RevokeTokenAsync(token.Id, s_t0.AddMinutes(1), default);

        var again = await _store.RevokeTokenAsync(token.Id, s_t0.AddMinutes(2), default);
        await _store.SealAsync(new PartyId("other-lab"), s_t0, "marker", default);
        var first = await NextNoticeAsync();
        var second = await NextNoticeAsync();

        Assert.False(again);
        Assert.Equal(RevocationKind.TokenRevoked, first.Kind);
        Assert.Equal(new RevocationNotice(RevocationKind.Seal, new PartyId("other-lab"), null), second);
    }

    private async Task<RevocationNotice> NextNoticeAsync()
    {
        var payload = await NextPayloadAsync();
        Assert.True(RevocationPayload.TryParse(payload, out var notice), payload);
        return notice;
    }

    private async Task<string> NextPayloadAsync()
    {
        string? payload;
        while (!_payloads.Reader.TryRead(out payload))
        {
            await _listener.WaitAsync(_timeout.Token);
        }

        return payload;
    }
}
