using System.Text;
using System.Text.Json;
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
    /// <returns>Per budget, in the order budgets were first charged: the total ρ and the number of queries.</returns>
    /// <exception cref="InvalidDataException">A line is not JSON or an entry line does not hold a log entry.</exception>
    public static async Task<IReadOnlyList<(BudgetKey Key, Rational Rho, int Queries)>> FromExportAsync(Stream export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var spends = new List<PrivacySpend>();
        using var reader = new StreamReader(export, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var number = 0L;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (!document.RootElement.TryGetProperty("entry", out var entry) || entry.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (!LogEntry.TryParse(entry.GetBytesFromBase64(), out var parsed, out var error))
                {
                    throw new InvalidDataException($"line {number}: {error}");
                }

                if (PrivacySpendEntry.TryRead(parsed, out var spend))
                {
                    spends.Add(spend);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new InvalidDataException($"line {number}: not a line of a log export", e);
            }
        }

        return new PrivacyLedger(spends).Totals();
    }
}
