namespace Concordat.Agreements;

/// <summary>
/// An action a recipient may take on a dataset.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum DataAction
{
    /// <summary>Read rows through the gateway.</summary>
    ReadRows,

    /// <summary>Run aggregate-only queries.</summary>
    AggregateQuery,

    /// <summary>Download a whole snapshot.</summary>
    DownloadSnapshot,
}
