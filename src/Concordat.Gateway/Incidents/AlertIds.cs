using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Concordat.Core;
using Concordat.Incidents.Detection;
using Concordat.Log;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The id of an alert: derived from what was noticed, never drawn at random, so every replica that notices the same
/// thing names it alike and only the first to log it raises it (<see cref="AlertRaiser.RaiseOnceAsync"/>). Written as
/// the <c>alertId</c> member of <c>gateway.alert/v1</c>.
/// </summary>
/// <remarks>
/// <c>alt_</c> and 32 lowercase hex digits: the first 128 bits of SHA-256 over the alert's name, its recipient and its
/// window, one per line. The window follows the rule of its source: a detector raises each kind once per recipient
/// and hour (<see cref="UsageDetector"/>), so its window is the hour of the entry that raised it; a check that raises
/// once per subject (an overdue deletion attestation per egress, a lapsed due-diligence record per envelope) has its
/// subject as the window.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
internal static class AlertIds
{
    /// <summary>The id of a detector's alert: its kind, recipient and hour (UTC, counted from the epoch).</summary>
    public static string ForHour(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Of(alert, "hour " + (alert.At.ToUnixTimeSeconds() / 3600).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The id of an alert raised once per subject: its kind, recipient and subject.</summary>
    public static string ForSubject(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Of(alert, "subject " + alert.Subject);
    }

    /// <summary>Returns the <c>alertId</c> of a <c>gateway.alert/v1</c> entry, or <see langword="null"/> (another entry, or an alert logged without one).</summary>
    public static string? TryRead(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type == "gateway.alert/v1" ? JsonMembers.Text(entry.Body, "alertId") : null;
    }

    private static string Of(Alert alert, string window)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{alert.Name}\n{alert.Recipient.Value}\n{window}"));
        return "alt_" + Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }
}
