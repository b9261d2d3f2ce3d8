using System.Text.Encodings.Web;
using System.Text.Json;
using Concordat.Core;

namespace Concordat.Cli;

/// <summary>
/// What every verb writes to: standard output for results, standard error for diagnostics and errors,
/// in the format the user asked for with <c>--error-format</c>.
/// </summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool jsonErrors, bool verbose)
{
    // Security: relaxed escaping is safe here because the output is a terminal or a pipe, never HTML; it keeps
    // backticks and non-ASCII names readable in diagnostics.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public bool IsJsonErrors { get; } = jsonErrors;

    public bool IsVerbose { get; } = verbose;

    /// <summary>Writes every diagnostic, human-readable (with help) or as one JSON document.</summary>
    public void WriteDiagnostics(IReadOnlyList<Diagnostic> diagnostics)
    {
        if (IsJsonErrors)
        {
            Error.WriteLine(JsonSerializer.Serialize(new { diagnostics = diagnostics.Select(ToJson) }, s_json));
            return;
        }

        foreach (var diagnostic in diagnostics)
        {
            Error.WriteLine(diagnostic.ToString());
            if (diagnostic.Help is not null)
            {
                Error.WriteLine($"  help: {diagnostic.Help}");
            }
        }
    }

    /// <summary>Writes one error line (or a JSON diagnostic) and returns <paramref name="exitCode"/>.</summary>
    public int Fail(int exitCode, string code, string message, string? help = null)
    {
        WriteDiagnostics([new Diagnostic(code, DiagnosticSeverity.Error, message, null, help)]);
        return exitCode;
    }

    private static object ToJson(Diagnostic d) => new
    {
        code = d.Code,
        severity = d.Severity.ToString().ToLowerInvariant(),
        message = d.Message,
        file = d.Span?.File,
        line = d.Span?.Line,
        column = d.Span?.Column,
        endLine = d.Span?.EndLine,
        endColumn = d.Span?.EndColumn,
        help = d.Help,
    };
}
