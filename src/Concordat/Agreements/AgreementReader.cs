using Concordat.Agreements.Reading;
using Concordat.Agreements.Syntax;

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

    /// <summary>Reads and validates an agreement.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="fileName">The file name diagnostics name, as the user gave it; <c>-</c> for standard input.</param>
    /// <returns>The agreement, when valid, and every diagnostic.</returns>
    public static AgreementReadResult Read(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var binder = new Binder(fileName);
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
        return new AgreementReadResult(hasErrors ? null : agreement, diagnostics);
    }
}
