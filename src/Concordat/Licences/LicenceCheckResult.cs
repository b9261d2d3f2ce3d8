using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// What the licence check of a model found: every problem, and every credit the model MUST carry.
/// </summary>
/// <param name="Findings">The problems; each message names the input, the licence and the clause or condition.</param>
/// <param name="Attributions">The credits, one per input and reason.</param>
public sealed record LicenceCheckResult(IReadOnlyList<Diagnostic> Findings, IReadOnlyList<LicenceAttribution> Attributions)
{
    /// <summary>Gets a value indicating whether no finding is an error: the model may be registered.</summary>
    public bool IsCompatible => !Findings.Any(f => f.IsError);
}
