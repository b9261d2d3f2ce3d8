using System.Reflection;

namespace Concordat.Core;

/// <summary>
/// One stable error code with its words: a short title, what the code means and how to fix it. Each family of codes
/// (AGR, POL, LOG, GW, CLI) declares its codes once, in one table of entries; call sites name an entry, and give only
/// the message that carries the values of the one case.
/// </summary>
/// <remarks>
/// The meaning and the fix are the words docs/errors.md shows for the code (a test compares them), and the gateway
/// serves them at <c>/errors/{code}</c>. A code MUST keep one meaning wherever it is used; a new meaning needs a new code.
/// </remarks>
/// <param name="Code">An area prefix and four digits, such as <c>AGR1001</c>; stable forever.</param>
/// <param name="Title">A few words naming the problem, such as <c>invalid YAML</c>.</param>
/// <param name="Meaning">What the code means, in one line: lowercase first letter, no final period.</param>
/// <param name="Fix">What to do about it: the help of a diagnostic whose call site has nothing more specific to say.</param>
// CAUTION: public format; the words appear in docs/errors.md and at the gateway's /errors/{code}
public record ErrorCode(string Code, string Title, string Meaning, string Fix)
{
    /// <summary>Makes an error diagnostic with this code.</summary>
    /// <param name="message">The one case: lowercase first letter, no final period, user values in backticks.</param>
    /// <param name="span">Where in the source the problem is, when it has a place.</param>
    /// <param name="help">A help more specific than <see cref="Fix"/>; <see langword="null"/> for the fix.</param>
    /// <returns>The diagnostic.</returns>
    public Diagnostic Error(string message, SourceSpan? span = null, string? help = null) =>
        ToDiagnostic(DiagnosticSeverity.Error, message, span, help);

    /// <summary>Makes a warning diagnostic with this code.</summary>
    /// <param name="message">The one case: lowercase first letter, no final period, user values in backticks.</param>
    /// <param name="span">Where in the source the problem is, when it has a place.</param>
    /// <param name="help">A help more specific than <see cref="Fix"/>; <see langword="null"/> for the fix.</param>
    /// <returns>The diagnostic.</returns>
    public Diagnostic Warning(string message, SourceSpan? span = null, string? help = null) =>
        ToDiagnostic(DiagnosticSeverity.Warning, message, span, help);

    /// <summary>Makes a diagnostic with this code.</summary>
    /// <param name="severity">Error, warning or information.</param>
    /// <param name="message">The one case: lowercase first letter, no final period, user values in backticks.</param>
    /// <param name="span">Where in the source the problem is, when it has a place.</param>
    /// <param name="help">A help more specific than <see cref="Fix"/>; <see langword="null"/> for the fix.</param>
    /// <returns>The diagnostic.</returns>
    public Diagnostic ToDiagnostic(DiagnosticSeverity severity, string message, SourceSpan? span = null, string? help = null) =>
        new(Code, severity, message, span, help ?? Fix);

    /// <summary>Lists the entries of a table: the public static fields of <paramref name="table"/> that hold an <see cref="ErrorCode"/>.</summary>
    /// <param name="table">A static class (or record) declaring one family's codes.</param>
    /// <returns>The entries, in declaration order.</returns>
    public static IReadOnlyList<ErrorCode> ListTable(Type table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(ErrorCode).IsAssignableFrom(f.FieldType))
            .Select(f => (ErrorCode)f.GetValue(null)!)];
    }
}
