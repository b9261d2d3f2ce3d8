using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// What parsing an SPDX licence expression found: the expression when it has no error, and every problem.
/// </summary>
/// <param name="Expression">The expression; <see langword="null"/> when a diagnostic is an error.</param>
/// <param name="Diagnostics">Every problem found (errors, and warnings such as deprecated identifiers).</param>
public sealed record LicenceParseResult(LicenceExpression? Expression, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the expression parsed without error.</summary>
    public bool IsValid => Expression is not null;
}
