using Concordat.Log;
using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// Recomputes every privacy budget's spend from an exported log (<c>concordat-log-export/v1</c>): what
/// <c>concordat budget recompute</c> prints, and what MUST equal the gateway's <c>GET /v1/budgets</c> figures.
/// </summary>
/// <remarks>
/// Pure: it reads the export's entry lines and folds their <see cref="PrivacySpendEntry"/> entries into a
/// <see cref="PrivacyLedger"/>, with exact rationals, so the totals are exactly the gateway's. It does not verify the
/// export: callers MUST verify it first (<see cref="LogExportVerifier"/>), as an auditor trusts only signed entries.
/// </remarks>
public static class BudgetRecompute
{
    /// <summary>Folds the aggregate-query entries of an export into per-budget totals.</summary>
    /// <param name="export">The export, read from its start.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Per budget, in the order budgets were first charged: the total ρ, the number of queries and the total δ partition selection spent.</returns>
    /// <exception cref="InvalidDataException">A line is not JSON or an entry line does not hold a log entry.</exception>
    public static async Task<IReadOnlyList<(BudgetKey Key, Rational Rho, int Queries, Rational Delta)>> FromExportAsync(Stream export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var spends = new List<PrivacySpend>();
        await foreach (var (_, entry) in LogExportEntries.ReadAsync(export, cancellationToken).ConfigureAwait(false))
        {
            if (PrivacySpendEntry.TryRead(entry, out var spend))
            {
                spends.Add(spend);
            }
        }

        return new PrivacyLedger(spends).Totals();
    }
}
