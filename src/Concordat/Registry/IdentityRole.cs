namespace Concordat.Registry;

/// <summary>
/// The role of a service identity: it bounds the actions the identity may take, whatever the agreement grants.
/// </summary>
// CAUTION: persisted/public format; see docs/api.md
public enum IdentityRole
{
    /// <summary>Imports datasets on the provider's side; never reads rows out.</summary>
    Ingestion,

    /// <summary>Reads rows and downloads snapshots to train models.</summary>
    Training,

    /// <summary>Runs deployed models: aggregate queries only.</summary>
    Deployment,

    /// <summary>Reads rows and runs aggregate queries for analysis and evaluation.</summary>
    Analysis,
}
