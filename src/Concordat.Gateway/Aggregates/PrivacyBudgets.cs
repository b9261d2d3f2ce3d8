using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Transparency;
using Concordat.Privacy.Accounting;
using Concordat.Store;

namespace Concordat.Gateway.Aggregates;

/// <summary>
/// The gateway's privacy ledger: the fold of the log's <c>gateway.aggregate-query/v1</c> entries, read at the first
/// query or budget read (never at start-up) and caught up with the entries appended since before every charge and
/// read, then charged one query at a time under the store's lock of the budget.
/// </summary>
/// <remarks>
/// <para>
/// Security: the budget is the privacy guarantee, and replicas on one PostgreSQL store share it. A charge takes the
/// budget's store lock (<see cref="IStoreEngine.LockAsync"/>, shared by every replica), catches the ledger up with
/// the entries other replicas appended, prices the query, appends its entry durably and only then releases the
/// lock: so every charge is decided on every spend logged before it, and the replicas together never spend more
/// than the budget. On SQLite one process owns the store, and the gate below alone serialises charges.
/// </para>
/// <para>
/// Invariant: the ledger is exactly the fold of the log's entries below its cursor (<see cref="LogCursor"/>); this replica's own
/// spends also reach it by being read back from the log, so nothing is counted twice and a ledger rebuilt from the
/// log (<c>concordat budget recompute</c>) equals this one. A query the log pushes back spends nothing; an entry
/// logged whose answer never leaves (a crash, the client gone) still counts.
/// </para>
/// </remarks>
internal sealed class PrivacyBudgets(ILogReader reader, GatewayJournal journal, IStoreEngine store) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PrivacyLedger _ledger = new([]);
    private readonly LogCursor _cursor = new(reader);

    /// <summary>Returns a budget's state now, caught up with the log.</summary>
    public async Task<(BudgetStatus Status, Privacy.Noise.Rational RhoSpent, int Queries, Privacy.Noise.Rational DeltaSpent)> StatusAsync(BudgetKey key, BudgetPolicy policy, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            var total = _ledger.Totals().FirstOrDefault(t => t.Key == key);
            return total.Queries == 0
                ? (_ledger.Status(key, policy, journal.Now), Privacy.Noise.Rational.Zero, 0, Privacy.Noise.Rational.Zero)
                : (_ledger.Status(key, policy, journal.Now), total.Rho, total.Queries, total.Delta);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Prices <paramref name="spend"/> on the log's latest state, and unless it is a dry run or refused, logs it
    /// durably, all under the budget's store lock.
    /// </summary>
    /// <returns>The charge, and the 503 answer when the log pushed back or the store could not be reached to take the
    /// budget's lock (then nothing was spent).</returns>
    public async Task<(BudgetCharge Charge, ProblemHttpResult? Busy)> ChargeAsync(HttpContext context, PrivacySpend spend, BudgetPolicy policy, bool isDryRun)
    {
        await _gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            var (held, unavailable) = await store.TryLockAsync(LockName(spend.Key), context).ConfigureAwait(false);
            if (unavailable is not null)
            {
                // Nothing is spent: the charge is priced on the spends already read, and the caller answers the 503.
                return (_ledger.Charge(spend, policy, isDryRun: true), unavailable);
            }

            await using (held!.ConfigureAwait(false))
            {
                await CatchUpAsync(context.RequestAborted).ConfigureAwait(false);
                var priced = _ledger.Charge(spend, policy, isDryRun: true);
                if (!priced.IsAllowed || isDryRun)
                {
                    return (priced, null);
                }

                // Invariant: the entry is durable before the lock is released and before any answer leaves; the
                // ledger counts it when the next catch-up reads it back, before any later charge is priced.
                // Security: the wait is not cancelled with the request, or a client that hangs up could have the lock
                // released while its entry is still queued, and another replica price a query without that spend.
                if (await journal.AppendUnderLockAsync(context, new AggregateQueryEntry(spend, priced.After)).ConfigureAwait(false) is { } busy)
                {
                    return (priced, busy);
                }

                return (priced with { IsCharged = true }, null);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    // One lock per budget, so replicas charging different budgets do not wait on each other in the store.
    private static StoreLockName LockName(BudgetKey key) =>
        new($"privacy-budget\n{key.Recipient.Value}\n{key.Agreement.Value}\n{key.Grant.Value}");

    /// <summary>Folds the entries appended since the last one seen, by any replica; never re-reads the whole log.</summary>
    private Task<bool> CatchUpAsync(CancellationToken cancellationToken) =>
        _cursor.CatchUpAsync((_, entry) =>
        {
            if (entry is not null && PrivacySpendEntry.TryRead(entry, out var spend))
            {
                _ledger.Record(spend);
            }
        }, cancellationToken);
}
