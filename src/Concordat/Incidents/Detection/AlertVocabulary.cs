using System.Diagnostics.CodeAnalysis;

namespace Concordat.Incidents.Detection;

/// <summary>
/// The alert vocabulary: one name per detector (and per check that raises alerts, such as retention's and due diligence's), and the older names agreements already use (such as
/// <c>bulk-download</c>) mapped to the detector that catches what they describe.
/// </summary>
/// <remarks>
/// An agreement's <c>incidents.autoSealAlerts</c> MUST name alerts from this vocabulary (<c>AGR2040</c> otherwise).
/// A name keeps its detector forever: a new detector gets a new name.
/// </remarks>
// CAUTION: persisted/public format; see docs/design/incidents.md#alert-vocabulary
public static class AlertVocabulary
{
    private static readonly string[] s_names =
    [
        "volume-spike", "request-rate-spike", "deny-rate-spike", "off-hours-access",
        "new-jurisdiction", "new-subprocessor", "dataset-sweep", "token-burst",
        "deletion-attestation-overdue", "shared-indicator", "diligence-expired",
    ];

    private static readonly Dictionary<string, AlertKind> s_byName = BuildNames();

    /// <summary>Gets the older names agreements use, each with the detector it names.</summary>
    public static IReadOnlyDictionary<string, AlertKind> Aliases { get; } = new Dictionary<string, AlertKind>(StringComparer.Ordinal)
    {
        // Spec: docs/design/incidents.md#alert-vocabulary explains each mapping.
        ["bulk-download"] = AlertKind.VolumeSpike,
        ["exfiltration"] = AlertKind.VolumeSpike,
        ["prompt-dump"] = AlertKind.RequestRateSpike,
        ["reidentification-attempt"] = AlertKind.DatasetSweep,
    };

    /// <summary>Gets the name of each detector, in the order of <see cref="AlertKind"/>.</summary>
    public static IReadOnlyList<string> Names => s_names;

    /// <summary>Returns the one name of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name, such as <c>volume-spike</c>.</returns>
    public static string NameOf(AlertKind kind) => s_names[(int)kind];

    /// <summary>Finds the detector a name (or an older alias) stands for.</summary>
    /// <param name="name">A name from the vocabulary or an alias.</param>
    /// <param name="kind">The detector's kind, when found.</param>
    /// <returns><see langword="true"/> when the name is in the vocabulary.</returns>
    public static bool TryResolve([NotNullWhen(true)] string? name, out AlertKind kind)
    {
        kind = default;
        return name is not null && (s_byName.TryGetValue(name, out kind) || Aliases.TryGetValue(name, out kind));
    }

    // Invariant: a plain dictionary, never written after start-up: the library references no collections package.
    private static Dictionary<string, AlertKind> BuildNames()
    {
        var names = new Dictionary<string, AlertKind>(StringComparer.Ordinal);
        for (var i = 0; i < s_names.Length; i++)
        {
            names[s_names[i]] = (AlertKind)i;
        }

        return names;
    }
}
