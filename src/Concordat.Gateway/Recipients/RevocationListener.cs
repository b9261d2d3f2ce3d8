using Concordat.Gateway.Agreements;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// Applies the seals, unseals and token revocations of every replica to this process's <see cref="StreamRegistry"/>:
/// a seal stops the recipient's streams under way here and marks it sealed; an unseal lifts the mark; a token
/// revocation stops the streams opened with the token. An agreement activated, superseded or terminated on any replica
/// makes this one read the agreements in force again (<see cref="PolicyState.RequestReload"/>).
/// </summary>
/// <remarks>
/// Security: the store stays the authority (every request checks it); this only makes a replica act on streams
/// already under way, and before its next store read. After each (re)connection of the feed, the streams and marks
/// here are checked against the store, since notices sent meanwhile are lost.
/// </remarks>
internal sealed class RevocationListener(IRevocationFeed feed, StreamRegistry streams, IRegistryStore store, PolicyState policy, ILogger<RevocationListener> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => feed.ListenAsync(ResyncAsync, Apply, stoppingToken);

    /// <summary>Acts on one notice.</summary>
    internal void Apply(RevocationNotice notice)
    {
        var stopped = 0;
        switch (notice.Kind)
        {
            case RevocationKind.Seal when notice.Recipient is { } recipient:
                stopped = streams.Seal(recipient);
                break;
            case RevocationKind.Unseal when notice.Recipient is { } recipient:
                streams.Unseal(recipient);
                break;
            case RevocationKind.TokenRevoked when notice.Recipient is { } recipient && notice.Token is { } token:
                stopped = streams.Revoke(recipient, token);
                break;
            case RevocationKind.AgreementChanged:
                policy.RequestReload();
                break;
        }

        LogMessages.RevocationNoticed(logger, notice.Kind, notice.Recipient?.Value ?? notice.Agreement?.Value ?? "-", stopped);
    }

    /// <summary>Checks every seal mark and every stream under way here against the store.</summary>
    internal async Task ResyncAsync(CancellationToken cancellationToken)
    {
        // Agreement changes made while the feed was not listening are found by reading them again.
        await policy.ReloadAsync(cancellationToken).ConfigureAwait(false);

        foreach (var recipient in streams.KnownRecipients())
        {
            if (await store.FindSealAsync(recipient, cancellationToken).ConfigureAwait(false) is null)
            {
                streams.Unseal(recipient);
            }
            else
            {
                streams.Seal(recipient);
            }
        }

        foreach (var (recipient, token) in streams.StreamingTokens())
        {
            if (await store.FindTokenAsync(token, cancellationToken).ConfigureAwait(false) is not { RevokedAt: null })
            {
                streams.Revoke(recipient, token);
            }
        }
    }
}
