using System.Text.Encodings.Web;
using System.Text.Json;
using Concordat.Core;

namespace Concordat.Cli;

/// <summary>
/// What every verb writes to: standard output for results, standard error for diagnostics and errors,
/// in the format the user asked for with <c>--error-format</c>.
/// </summary>
/// <param name="stdout">Where results go.</param>
/// <param name="stderr">Where diagnostics and errors go.</param>
/// <param name="jsonErrors">Whether errors are written as JSON.</param>
/// <param name="verbose">Whether exception details are shown.</param>
/// <param name="terminal">Whether standard output is a terminal: tables and progress then, plain lines otherwise.</param>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool jsonErrors, bool verbose, bool terminal = false)
{
    // Security: relaxed escaping is safe here because the output is a terminal or a pipe, never HTML; it keeps
    // backticks and non-ASCII names readable in diagnostics.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public bool IsJsonErrors { get; } = jsonErrors;

    public bool IsVerbose { get; } = verbose;

    /// <summary>Gets whether standard output is a terminal, where tables are drawn and progress is shown.</summary>
    public bool IsTerminal { get; } = terminal;

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

    /// <summary>Writes one error of a command-line code (or a JSON diagnostic) and returns the code's exit code.</summary>
    /// <param name="code">The entry of <see cref="CliErrorCodes"/>.</param>
    /// <param name="message">The one case, with its values.</param>
    /// <param name="help">A help more specific than the code's fix; <see langword="null"/> for the fix.</param>
    public int Fail(CliErrorCode code, string message, string? help = null) => Fail(code.Exit, code, message, help);

    /// <summary>Writes one error of a library code (or a JSON diagnostic) and returns <paramref name="exitCode"/>.</summary>
    /// <param name="exitCode">The exit code (<see cref="ExitCodes"/>).</param>
    /// <param name="code">The entry of the code's table.</param>
    /// <param name="message">The one case, with its values.</param>
    /// <param name="help">A help more specific than the code's fix; <see langword="null"/> for the fix.</param>
    public int Fail(int exitCode, ErrorCode code, string message, string? help = null)
    {
        WriteDiagnostics([code.Error(message, null, help)]);
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
