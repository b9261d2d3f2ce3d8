using System.Globalization;
using Concordat.Agreements.Reading;
using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// Reads an agreement document (YAML 1.2) into a typed <see cref="Agreement"/>, finding every problem at once:
/// YAML syntax (AGR1xxx), types, references and contradictions (AGR2xxx), and lint by partnership model and
/// engagement kind (AGR3xxx warnings).
/// </summary>
/// <remarks>
/// The reader never throws for bad input: whatever the text, problems are returned as diagnostics. The agreement
/// is returned only when no diagnostic is an error. See docs/formats/agreement.md.
/// </remarks>
public static class AgreementReader
{
    /// <summary>The agreement format version this reader reads (<c>concordat: 1</c>).</summary>
    public const int FormatVersion = AgreementBinder.CurrentFormatVersion;

    /// <summary>The most diagnostics one read returns; past it, one <c>AGR1013</c> says how many were left out.</summary>
    public const int MaxDiagnostics = 200;

    /// <summary>Reads and validates an agreement from its file's bytes, which MUST be UTF-8.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="fileName">The file name diagnostics name, as the user gave it; <c>-</c> for standard input.</param>
    /// <returns>The agreement, when valid, and every diagnostic.</returns>
    /// <remarks>
    /// Security: bytes that are not UTF-8 are an error (<c>AGR1010</c>) at the first bad byte, never decoded with
    /// replacement characters: two different files MUST NOT read as one document and share a digest.
    /// </remarks>
    public static AgreementReadResult Read(ReadOnlySpan<byte> utf8, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new List<Diagnostic>();
        return AgreementText.TryDecode(utf8, fileName, diagnostics, out var text)
            ? Read(text, fileName)
            : new AgreementReadResult(null, diagnostics);
    }

    /// <summary>Reads and validates an agreement.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="fileName">The file name diagnostics name, as the user gave it; <c>-</c> for standard input.</param>
    /// <returns>The agreement, when valid, and every diagnostic.</returns>
    public static AgreementReadResult Read(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var binder = new Binder(fileName);

        // Security: size and characters are checked before the YAML parser sees the text; a text that fails is not parsed.
        if (!AgreementText.IsWithinSize(text.Length, fileName, binder.Diagnostics) || !AgreementText.CheckCharacters(text, fileName, binder.Diagnostics))
        {
            return new AgreementReadResult(null, binder.Diagnostics);
        }

        var root = YamlSyntaxReader.Read(text, fileName, binder.Diagnostics);
        Agreement? agreement = null;
        if (root is not null)
        {
            agreement = new AgreementBinder(binder).Bind(root);
            if (agreement is not null)
            {
                new AgreementValidator(binder, agreement).Validate();

                // Lint only a document without errors: advice about missing clauses is noise next to a broken one.
                if (!binder.Diagnostics.Any(d => d.IsError))
                {
                    new AgreementLinter(binder, agreement).Lint();
                    new DataRoleLinter(binder, agreement).Lint();
                }
            }
        }

        var diagnostics = binder.Diagnostics
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Span is null ? 1 : 0)
            .ThenBy(x => x.d.Span?.Line ?? 0)
            .ThenBy(x => x.d.Span?.Column ?? 0)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();
        var hasErrors = diagnostics.Any(d => d.IsError);
        if (diagnostics.Count > MaxDiagnostics)
        {
            var left = diagnostics.Count - MaxDiagnostics;
            diagnostics.RemoveRange(MaxDiagnostics, left);
            diagnostics.Add(AgreementDiagnosticCodes.TooManyProblems.ToDiagnostic(
                hasErrors ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                string.Create(CultureInfo.InvariantCulture, $"{left} more problems were found and not listed")));
        }

        return new AgreementReadResult(hasErrors ? null : agreement, diagnostics) { Clauses = binder.Clauses };
    }
}
