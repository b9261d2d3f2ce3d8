namespace Concordat.Licences;

/// <summary>
/// What an artifact is, for its IP classification.
/// </summary>
// CAUTION: public format (recorded in attestations); see docs/design/licences.md
public enum ArtifactKind
{
    /// <summary>A dataset or one of its versions.</summary>
    Dataset,

    /// <summary>A model or checkpoint.</summary>
    Model,

    /// <summary>A tool, pipeline or other software.</summary>
    Tool,

    /// <summary>A finding (a result, a vulnerability, a report).</summary>
    Finding,
}
