using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Log;
using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// The log entry of one aggregate query's privacy spend, and its reader: what <c>concordat budget recompute</c> folds
/// over an exported log to get, per budget, exactly the spend the gateway reports.
/// </summary>
/// <remarks>
/// Security: the body carries the query's digest, each release's mechanism, parameter, sensitivity and ρ, and the
/// budget after the query; never a true or noisy value. Rationals are written as text (<c>n</c> or <c>n/d</c>) so
/// that they read back exactly.
/// </remarks>
// CAUTION: persisted/public format; see docs/design/privacy.md
public static class PrivacySpendEntry
{
    /// <summary>The entry's versioned type.</summary>
    public const string EntryType = "gateway.aggregate-query/v1";

    /// <summary>Returns the log entry of <paramref name="spend"/>, with the budget after it.</summary>
    /// <param name="spend">The query's spend.</param>
    /// <param name="after">The budget after the query.</param>
    /// <returns>The entry.</returns>
    public static LogEntry ToLogEntry(PrivacySpend spend, BudgetStatus after)
    {
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(after);
        var releases = new JsonArray();
        foreach (var release in spend.Releases)
        {
            releases.Add(new JsonObject
            {
                ["mechanism"] = MechanismName(release.Mechanism),
                ["parameter"] = release.Parameter.ToString(),
                ["sensitivity"] = release.Sensitivity.ToString(),
                ["rho"] = release.Rho.ToString(),
            });
            if (release.Contributions != 1)
            {
                ((JsonObject)releases[^1]!)["contributions"] = release.Contributions;
            }

            if (!release.Delta.IsZero)
            {
                ((JsonObject)releases[^1]!)["delta"] = release.Delta.ToString();
            }
        }

        var body = new JsonObject
        {
            ["recipient"] = spend.Key.Recipient.Value,
            ["agreement"] = spend.Key.Agreement.Value,
            ["grant"] = spend.Key.Grant.Value,
            ["queryDigest"] = spend.QueryDigest,
            ["releases"] = releases,
            ["rho"] = spend.Rho.ToString(),
            ["budgetAfter"] = new JsonObject { ["spent"] = after.Spent.ToString(), ["remaining"] = after.Remaining.ToString() },
        };
        return LogEntry.Create(EntryType, spend.At, JsonSerializer.SerializeToElement(body));
    }

    /// <summary>Reads the spend of an entry of this type.</summary>
    /// <param name="entry">Any log entry.</param>
    /// <param name="spend">The spend, when the entry is a well-formed one of this type.</param>
    /// <returns>Whether it is.</returns>
    public static bool TryRead(LogEntry entry, [NotNullWhen(true)] out PrivacySpend? spend)
    {
        ArgumentNullException.ThrowIfNull(entry);
        spend = null;
        if (entry.Type != EntryType || entry.Body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var body = entry.Body;
        if (!TryText(body, "recipient", out var recipient) || !TryText(body, "agreement", out var agreement) || !TryText(body, "grant", out var grant)
            || !TryText(body, "queryDigest", out var digest) || !body.TryGetProperty("releases", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var releases = new List<NoiseRelease>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !TryText(item, "mechanism", out var name) || !TryMechanism(name, out var mechanism)
                || !TryRational(item, "parameter", out var parameter) || parameter.IsZero || !TryRational(item, "sensitivity", out var sensitivity))
            {
                return false;
            }

            // Invariant: without the member, one group (entries written before contribution bounding).
            var contributions = 1;
            if (item.TryGetProperty("contributions", out var count) && (count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out contributions) || contributions < 1))
            {
                return false;
            }

            // Invariant: without the member, no δ (a release over declared domains).
            var delta = Rational.Zero;
            if (item.TryGetProperty("delta", out _) && (!TryRational(item, "delta", out delta) || delta.IsZero || delta.Numerator.Sign < 0))
            {
                return false;
            }

            releases.Add(new NoiseRelease(mechanism, parameter, sensitivity, contributions) { Delta = delta });
        }

        spend = new PrivacySpend(new BudgetKey(new PartyId(recipient), new AgreementId(agreement), new ClauseId(grant)), entry.Time, digest, releases);
        return true;
    }

    private static string MechanismName(NoiseMechanism mechanism)
        => mechanism == NoiseMechanism.DiscreteGaussian ? "discrete-gaussian" : "discrete-laplace";

    private static bool TryMechanism(string name, out NoiseMechanism mechanism)
    {
        mechanism = name == "discrete-gaussian" ? NoiseMechanism.DiscreteGaussian : NoiseMechanism.DiscreteLaplace;
        return name is "discrete-gaussian" or "discrete-laplace";
    }

    private static bool TryText(JsonElement element, string name, [NotNullWhen(true)] out string? text)
    {
        text = element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return !string.IsNullOrEmpty(text);
    }

    private static bool TryRational(JsonElement element, string name, out Rational value)
    {
        value = default;
        return TryText(element, name, out var text) && Rational.TryParse(text, out value);
    }
}
