using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Log;
using Concordat.Privacy.Accounting;

namespace Concordat.Gateway.Aggregates;

/// <summary>
/// The gateway's privacy ledger: read from the log's <c>gateway.aggregate-query/v1</c> entries at the first query or
/// budget read (never at start-up), then charged one query at a time, each charge logged durably before it counts.
/// </summary>
/// <remarks>
/// <para>
/// Charges are serialised: price, append the entry, then record the spend. A query the log pushes back spends
/// nothing; an entry logged whose answer never leaves (a crash, the client gone) still counts, so the ledger is never
/// behind the log, and a ledger rebuilt from the log (<c>concordat budget recompute</c>) equals this one.
/// </para>
/// <para>
/// Security: one gateway process holds the ledger in memory. Replicas sharing a PostgreSQL store each read the log
/// once and then charge alone, so concurrent replicas can together overspend a budget (docs/design/privacy.md); run
/// aggregate queries through one replica until the ledger is shared.
/// </para>
/// </remarks>
internal sealed class PrivacyBudgets(ILogReader reader, GatewayJournal journal) : IDisposable
{
    private const int PageSize = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private PrivacyLedger? _ledger;

    /// <summary>Returns a budget's state now.</summary>
    public async Task<(BudgetStatus Status, Privacy.Noise.Rational RhoSpent, int Queries)> StatusAsync(BudgetKey key, BudgetPolicy policy, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ledger = await LoadAsync(cancellationToken).ConfigureAwait(false);
            var total = ledger.Totals().FirstOrDefault(t => t.Key == key);
            return (ledger.Status(key, policy, journal.Now), total.Queries == 0 ? Privacy.Noise.Rational.Zero : total.Rho, total.Queries);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Prices <paramref name="spend"/>, and unless it is a dry run or refused, logs it durably and records it.
    /// </summary>
    /// <returns>The charge, and the 503 answer when the log pushed back (then nothing was spent).</returns>
    public async Task<(BudgetCharge Charge, ProblemHttpResult? Busy)> ChargeAsync(HttpContext context, PrivacySpend spend, BudgetPolicy policy, bool isDryRun)
    {
        await _gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            var ledger = await LoadAsync(context.RequestAborted).ConfigureAwait(false);
            var priced = ledger.Charge(spend, policy, isDryRun: true);
            if (!priced.IsAllowed || isDryRun)
            {
                return (priced, null);
            }

            // Invariant: the entry is durable before the spend counts, and the spend counts before any answer leaves.
            if (await journal.AppendAsync(context, new AggregateQueryEntry(spend, priced.After)).ConfigureAwait(false) is { } busy)
            {
                return (priced, busy);
            }

            return (ledger.Charge(spend, policy, isDryRun: false), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<PrivacyLedger> LoadAsync(CancellationToken cancellationToken)
    {
        if (_ledger is { } loaded)
        {
            return loaded;
        }

        var spends = new List<PrivacySpend>();
        for (long start = 0; ; start += PageSize)
        {
            var page = await reader.ReadEntriesAsync(start, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var (_, bytes) in page)
            {
                if (LogEntry.TryParse(bytes, out var entry, out _) && PrivacySpendEntry.TryRead(entry, out var spend))
                {
                    spends.Add(spend);
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        _ledger = new PrivacyLedger(spends);
        return _ledger;
    }
}
