namespace Concordat.Core;

/// <summary>
/// One problem found in user input, with a stable code, where it is and what to do about it.
/// </summary>
/// <param name="Code">A stable code such as <c>AGR1001</c>; see docs/errors.md.</param>
/// <param name="Severity">Error, warning or information.</param>
/// <param name="Message">One line: lowercase first letter, no final period, user values in backticks.</param>
/// <param name="Span">Where in the source the problem is, when it has a place.</param>
/// <param name="Help">What the user can do to fix it, when there is something to say.</param>
// CAUTION: persisted/public format (JSON diagnostics); see docs/errors.md
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, SourceSpan? Span = null, string? Help = null)
{
    /// <summary>Gets a value indicating whether this diagnostic makes its input unusable.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Renders the diagnostic as one line: <c>file:line:col: error AGR1001: message</c>.</summary>
    /// <returns>The rendered line, without the help text.</returns>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        return Span is null ? $"{severity} {Code}: {Message}" : $"{Span}: {severity} {Code}: {Message}";
    }
}
