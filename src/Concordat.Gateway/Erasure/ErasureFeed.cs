using Concordat.Gateway.Retention;
using Concordat.Privacy;
using Concordat.Retention;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// How recipients learn of an erasure from the gateway itself (<c>GET /v1/erasures</c>): each erasure from the log,
/// with, per recipient concerned, its egress that carried the subject, its deadlines now, and its own pseudonyms of the
/// subject while it still has to delete.
/// </summary>
/// <remarks>
/// Invariant: a recipient's pseudonyms are kept until it attested deletion of every egress the erasure named for it
/// (a <c>deletion/v1</c> attestation filed after the erasure); then <see cref="ErasureNotices"/> forgets them, the first
/// time the feed is read for that recipient or the recipient files an attestation.
/// </remarks>
internal sealed class ErasureFeed(ErasureBook book, RetentionBook retention, ErasureNotices notices)
{
    /// <summary>The erasures logged after <paramref name="after"/> that concern <paramref name="recipient"/> (every one for the operator, <see langword="null"/>).</summary>
    /// <param name="recipient">The recipient asking, or null for the operator.</param>
    /// <param name="after">A log index: only erasures logged after it are listed (-1 for all).</param>
    /// <param name="now">The instant the deadlines are judged at.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The erasures in log order; a recipient sees only itself among the recipients.</returns>
    public async Task<IReadOnlyList<ErasureNotice>> ListAsync(string? recipient, long after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Security: a recipient sees only the erasures that touched data it received, and only its own egress in them.
        var erasures = (await book.ErasuresAsync(after, cancellationToken).ConfigureAwait(false))
            .Where(e => recipient is null || e.RecipientOf.Values.Contains(recipient, StringComparer.Ordinal))
            .ToList();
        var items = await ItemsAsync(retention, [.. erasures.SelectMany(e => e.Erasure.DecisionIds)], now, cancellationToken).ConfigureAwait(false);
        return [.. erasures.Select(e => Notice(e.Erasure, e.RecipientOf, recipient, items))];
    }

    /// <summary>The path the signed record of an erasure is served at.</summary>
    public static string AttestationUrl(string dataset, string commitmentHex) => $"/v1/attestations/erasures/{dataset}/{commitmentHex}";

    /// <summary>The commitment's hex, which names the erasure's files (the record and the notices).</summary>
    public static string HexOf(string commitment) =>
        commitment.StartsWith(SubjectCommitment.Prefix, StringComparison.Ordinal) ? commitment[SubjectCommitment.Prefix.Length..] : commitment;

    private ErasureNotice Notice(ErasureRecord erasure, IReadOnlyDictionary<string, string?> recipientOf, string? caller, Dictionary<string, RetentionItem>? items)
    {
        var hex = HexOf(erasure.SubjectCommitment);

        // Invariant: every decision id an erasure names is an egress of this log, so its recipient is known.
        var recipients = recipientOf
            .Where(p => p.Value is not null && (caller is null || p.Value == caller))
            .GroupBy(p => p.Value!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var egress = g.Select(p => p.Key).Order(StringComparer.Ordinal)
                    .Select(d => items is not null && items.TryGetValue(d, out var i) ? new ErasureNoticeEgress(d, i.DeleteBy, i.AttestBy, i.State) : new ErasureNoticeEgress(d, null, null, null))
                    .ToList();
                var pseudonyms = notices.Read(g.Key, hex);
                if (pseudonyms is not null && egress.All(e => e.State == RetentionState.Done))
                {
                    // Security: deletion attested; the gateway keeps the subject's pseudonyms no longer than needed.
                    notices.Forget(g.Key, hex);
                    pseudonyms = null;
                }

                return new ErasureNoticeRecipient(g.Key, egress, pseudonyms);
            })
            .ToList();
        return new ErasureNotice(erasure.Dataset, erasure.ErasedAt, erasure.LogIndex, erasure.Versions, erasure.SubjectCommitment, erasure.Envelope, AttestationUrl(erasure.Dataset, hex), recipients);
    }

    /// <summary>Where the egress named stand at <paramref name="now"/>, by decision id; null when the deadlines cannot be read now.</summary>
    internal static async Task<Dictionary<string, RetentionItem>?> ItemsAsync(RetentionBook retention, HashSet<string> decisionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decisionIds.Count == 0)
        {
            return [];
        }

        try
        {
            return await retention.WithAsync(view => Task.FromResult(view.Status(now, out _)
                .Where(i => decisionIds.Contains(i.DecisionId))
                .GroupBy(i => i.DecisionId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)), cancellationToken).ConfigureAwait(false);
        }
        catch (RetentionUnavailableException)
        {
            return null;
        }
    }
}
