namespace Concordat.Licences;

/// <summary>
/// The conditions of a licence that the compatibility check applies (docs/design/licences.md).
/// </summary>
[Flags]
public enum LicenceConditions
{
    /// <summary>No condition a trained model has to meet.</summary>
    None = 0,

    /// <summary>Whoever adapts the work MUST credit it.</summary>
    Attribution = 1,

    /// <summary>An adaptation MUST be licensed under the same licence or one the licence names (copyleft, share-alike, use restrictions that flow down).</summary>
    ShareAlike = 2,

    /// <summary>The work MUST NOT be used for commercial advantage.</summary>
    NonCommercial = 4,

    /// <summary>The work MUST NOT be adapted.</summary>
    NoDerivatives = 8,

    /// <summary>The work MAY be used for research and evaluation only.</summary>
    ResearchOnly = 16,
}
