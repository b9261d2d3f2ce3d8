using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// Every query's privacy spend, per budget (recipient, agreement, grant): what has been spent, what remains, and the
/// charge of a new query, which is refused whole, spending nothing, when it would overspend.
/// </summary>
/// <remarks>
/// The ledger holds exact rationals only, so a ledger rebuilt from the log's spends (<see cref="PrivacyLedger(IEnumerable{PrivacySpend})"/>)
/// reports exactly the same figures as the one that charged them. Safe for concurrent use: charges are serialised.
/// </remarks>
public sealed class PrivacyLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<BudgetKey, List<PrivacySpend>> _spends = [];

    /// <summary>Creates a ledger holding <paramref name="history"/> (spends read back from the log).</summary>
    /// <param name="history">The spends so far.</param>
    public PrivacyLedger(IEnumerable<PrivacySpend> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var spend in history)
        {
            RecordCore(spend);
        }
    }

    /// <summary>
    /// Records a spend read back from the log after the ledger was created (one another gateway replica charged),
    /// without checking it against its budget: it was charged, and it counts.
    /// </summary>
    /// <param name="spend">The logged spend.</param>
    public void Record(PrivacySpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        lock (_lock)
        {
            RecordCore(spend);
        }
    }

    /// <summary>Returns the total ρ, the number of queries and the total δ (partition selection) ever spent per budget, in the order budgets were first charged.</summary>
    /// <returns>The totals.</returns>
    public IReadOnlyList<(BudgetKey Key, Rational Rho, int Queries, Rational Delta)> Totals()
    {
        lock (_lock)
        {
            return [.. _spends.Select(pair => (
                pair.Key,
                pair.Value.Aggregate(Rational.Zero, (sum, spend) => sum + spend.Rho),
                pair.Value.Count,
                pair.Value.Aggregate(Rational.Zero, (sum, spend) => sum + spend.Delta)))];
        }
    }

    /// <summary>Returns a budget's state at <paramref name="at"/>.</summary>
    /// <param name="key">The budget.</param>
    /// <param name="policy">The grant's budget terms.</param>
    /// <param name="at">The time.</param>
    /// <returns>The state.</returns>
    public BudgetStatus Status(BudgetKey key, BudgetPolicy policy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_lock)
        {
            return StatusCore(key, policy, at, null);
        }
    }

    /// <summary>Charges <paramref name="spend"/> to its budget, or prices it without spending on a dry run.</summary>
    /// <param name="spend">The query's spend.</param>
    /// <param name="policy">The grant's budget terms.</param>
    /// <param name="isDryRun">Whether to price only.</param>
    /// <returns>The outcome; a refused or dry-run charge spends nothing.</returns>
    /// <remarks>
    /// Callers MUST write the spend to the log, durably, before the answer leaves, and SHOULD hold the charge until
    /// then: a crash in between leaves the ledger ahead of the log, never behind it.
    /// </remarks>
    public BudgetCharge Charge(PrivacySpend spend, BudgetPolicy policy, bool isDryRun)
    {
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(policy);
        lock (_lock)
        {
            var before = StatusCore(spend.Key, policy, spend.At, null);
            if (policy.Cost(spend) is not { } cost)
            {
                return new BudgetCharge(false, false, spend.Delta.IsZero ? "the budget allows pure-DP (discrete Laplace) noise only, since its δ is 0" : "partition selection spends δ, and the budget's δ is 0 (pure DP only)", before, before);
            }

            // Invariant: the query fits when the budget with it counted is still within its capacities, which a query's
            // δ lowers (PeriodCapacityAfter); without δ that is exactly cost ≤ before.Remaining.
            var after = StatusCore(spend.Key, policy, spend.At, spend);
            if (!(cost <= before.Remaining) || !(after.Spent <= after.Capacity) || (after.LifetimeCapacity is { } lifetime && !(after.SpentInLifetime <= lifetime)))
            {
                var refusal = spend.Delta.IsZero
                    ? $"the query costs `{cost}` and `{before.Remaining}` remains"
                    : $"the query costs `{cost}` and δ `{spend.Delta}`: with that δ spent the period allows `{after.Capacity}`, and `{before.Spent}` is spent";
                return new BudgetCharge(false, false, refusal, before, before);
            }

            if (!isDryRun)
            {
                RecordCore(spend);
            }

            return new BudgetCharge(true, !isDryRun, null, before, after);
        }
    }

    private void RecordCore(PrivacySpend spend)
    {
        if (!_spends.TryGetValue(spend.Key, out var list))
        {
            list = [];
            _spends.Add(spend.Key, list);
        }

        list.Add(spend);
    }

    // The budget's state with every recorded spend, and with `extra` too when it is given (the charge being priced).
    private BudgetStatus StatusCore(BudgetKey key, BudgetPolicy policy, DateTimeOffset at, PrivacySpend? extra)
    {
        var periodStart = policy.PeriodStart(at);
        var spent = Rational.Zero;
        var lifetime = Rational.Zero;
        var deltaSpent = Rational.Zero;
        var deltaInLifetime = Rational.Zero;
        var list = _spends.TryGetValue(key, out var recorded) ? recorded : [];
        foreach (var spend in extra is null ? list : list.Append(extra))
        {
            // Invariant: a spend the policy would not allow was never recorded, so Cost is not null here; a
            // spend read back from the log under other terms still counts, at its ρ.
            var cost = policy.Cost(spend) ?? spend.Rho;
            lifetime += cost;
            deltaInLifetime += spend.Delta;
            if (spend.At >= periodStart)
            {
                spent += cost;
                deltaSpent += spend.Delta;
            }
        }

        return new BudgetStatus(spent, policy.PeriodCapacityAfter(deltaSpent), lifetime, policy.LifetimeCapacityAfter(deltaInLifetime));
    }
}
