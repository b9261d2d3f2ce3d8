namespace Concordat.Licences;

/// <summary>
/// What a model is for, as its licence check sees it.
/// </summary>
// CAUTION: public format (the CLI's `--use`); see docs/design/licences.md
public enum ModelUse
{
    /// <summary>Research, with no commercial advantage.</summary>
    Research,

    /// <summary>Evaluation only (benchmarks, red-teaming), with no commercial advantage.</summary>
    Evaluation,

    /// <summary>Any use without commercial advantage that is not research or evaluation.</summary>
    NonCommercial,

    /// <summary>Use for commercial advantage (a product, a paid service, internal business use).</summary>
    Commercial,
}
