using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// What reading an agreement gives: the typed agreement when it has no errors, and every diagnostic found.
/// </summary>
/// <param name="Agreement">The agreement; null when any diagnostic is an error.</param>
/// <param name="Diagnostics">Every error and warning, in source order.</param>
public sealed record AgreementReadResult(Agreement? Agreement, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Gets the clause each diagnostic about one is about (the data-role warnings), keyed by the diagnostic itself.</summary>
    internal IReadOnlyDictionary<Diagnostic, ClauseId> Clauses { get; init; } = new Dictionary<Diagnostic, ClauseId>();
}
