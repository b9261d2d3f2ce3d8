using System.Globalization;
using System.Text;

namespace Concordat.Core;

/// <summary>
/// Renders diagnostics for people, in the style of rustc and cedar: the message, the place, the source line with a
/// caret under the offending text, and the help.
/// </summary>
/// <example>
/// <code>
/// error[AGR2006]: party `lbb` is not defined
///   --> demo.yaml:24:16
///    |
/// 24 |     recipient: lbb
///    |                ^^^
///    = help: did you mean `lab`?
/// </code>
/// </example>
public static class DiagnosticRenderer
{
    /// <summary>Renders every diagnostic, separated by blank lines, followed by a summary line when there are any.</summary>
    /// <param name="diagnostics">The diagnostics, in the order to show them.</param>
    /// <param name="source">The source text the spans point into, when available; without it no snippet is shown.</param>
    /// <returns>The rendered text, ending with a newline; empty when there are no diagnostics.</returns>
    public static string Render(IReadOnlyList<Diagnostic> diagnostics, string? source)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (diagnostics.Count == 0)
        {
            return string.Empty;
        }

        var lines = source?.ReplaceLineEndings("\n").Split('\n');
        var builder = new StringBuilder();
        foreach (var diagnostic in diagnostics)
        {
            Render(builder, diagnostic, lines);
            builder.Append('\n');
        }

        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        builder.Append(CultureInfo.InvariantCulture, $"{Count(errors, "error")}, {Count(warnings, "warning")}\n");
        return builder.ToString();
    }

    private static void Render(StringBuilder builder, Diagnostic diagnostic, string[]? lines)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        builder.Append(CultureInfo.InvariantCulture, $"{severity}[{diagnostic.Code}]: {diagnostic.Message}\n");
        var span = diagnostic.Span;
        var gutter = span is null ? string.Empty : new string(' ', span.Line.ToString(CultureInfo.InvariantCulture).Length);
        if (span is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{gutter} --> {span}\n");
            if (lines is not null && span.Line <= lines.Length)
            {
                var line = lines[span.Line - 1].Replace('\t', ' ');
                var start = Math.Min(span.Column - 1, line.Length);
                var end = span.EndLine == span.Line ? Math.Min(span.EndColumn - 1, line.Length) : line.TrimEnd().Length;
                var width = Math.Max(1, end - start);
                builder.Append(CultureInfo.InvariantCulture, $"{gutter} |\n");
                builder.Append(CultureInfo.InvariantCulture, $"{span.Line} | {line}\n");
                builder.Append(CultureInfo.InvariantCulture, $"{gutter} | {new string(' ', start)}{new string('^', width)}\n");
            }
        }

        if (diagnostic.Help is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{gutter} = help: {diagnostic.Help}\n");
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
