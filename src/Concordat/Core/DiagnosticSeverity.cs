namespace Concordat.Core;

/// <summary>
/// How serious a diagnostic is.
/// </summary>
// CAUTION: persisted/public format (JSON diagnostics); see docs/errors.md
public enum DiagnosticSeverity
{
    /// <summary>The input is invalid and is not used.</summary>
    Error,

    /// <summary>The input is valid but probably not what was meant.</summary>
    Warning,

    /// <summary>Information only.</summary>
    Info,
}
