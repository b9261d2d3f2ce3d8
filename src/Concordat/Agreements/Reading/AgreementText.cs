using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Concordat.Core;

namespace Concordat.Agreements.Reading;

/// <summary>
/// The rules of an agreement's text before it is parsed: strict UTF-8, a size cap, and no character that could make
/// the text read differently to a person than to the reader.
/// </summary>
/// <remarks>
/// Security: a digest is computed from the parsed document, so decoding MUST be injective; a lenient decoder maps
/// every invalid byte to U+FFFD, and two files that differ in such a byte would then share one digest and one
/// signature. Control characters and bidirectional controls (Trojan Source, CVE-2021-42574) are refused because
/// they let a reviewer see a different clause than the one that is signed and enforced.
/// </remarks>
internal static class AgreementText
{
    /// <summary>The largest document read, in bytes (real agreements are a few kilobytes).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The most forbidden characters reported before the rest are summed up in one diagnostic.</summary>
    private const int MaxReported = 20;

    /// <summary>Decodes <paramref name="utf8"/>; on invalid UTF-8 adds one diagnostic at the first bad byte and returns false.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, string file, List<Diagnostic> diagnostics, out string text)
    {
        text = string.Empty;
        if (!IsWithinSize(utf8.Length, file, diagnostics))
        {
            return false;
        }

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, utf8.Length));
        try
        {
            var status = Utf8.ToUtf16(utf8, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                var (line, column) = Position(utf8[..read]);
                var span = new SourceSpan(file, line, column, line, column + 1);
                var message = string.Create(CultureInfo.InvariantCulture, $"the file is not UTF-8: byte 0x{utf8[read]:X2} at offset {read} does not begin a valid UTF-8 sequence");
                diagnostics.Add(AgreementDiagnosticCodes.NotUtf8.Error(message, span, "save the file as UTF-8 (without a legacy encoding such as Latin-1 or Windows-1252)"));
                return false;
            }

            text = new string(chars, 0, written);
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Adds a diagnostic when a document of <paramref name="length"/> bytes is over the cap.</summary>
    public static bool IsWithinSize(int length, string file, List<Diagnostic> diagnostics)
    {
        if (length <= MaxBytes)
        {
            return true;
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"the document is {length} bytes, more than the limit of {MaxBytes} bytes");
        diagnostics.Add(AgreementDiagnosticCodes.TooLarge.Error(message, new SourceSpan(file, 1, 1, 1, 1), "an agreement is a few kilobytes: keep data and long annexes out of it"));
        return false;
    }

    /// <summary>Adds a diagnostic for each forbidden character; returns false when there was one.</summary>
    public static bool CheckCharacters(string text, string file, List<Diagnostic> diagnostics)
    {
        var line = 1;
        var column = 1;
        var found = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                column = 1;
                continue;
            }

            if (Describe(c) is { } what)
            {
                found++;
                if (found <= MaxReported)
                {
                    var message = string.Create(CultureInfo.InvariantCulture, $"the text holds {what} (U+{(int)c:X4}), which is not allowed in an agreement");
                    diagnostics.Add(AgreementDiagnosticCodes.ForbiddenCharacter.Error(message, new SourceSpan(file, line, column, line, column + 1)));
                }
            }

            column++;
        }

        if (found > MaxReported)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"{found - MaxReported} more characters that are not allowed were found and not listed");
            diagnostics.Add(AgreementDiagnosticCodes.ForbiddenCharacter.Error(message, null, "remove control and bidirectional characters from the file"));
        }

        return found == 0;
    }

    // Spec: YAML 1.2 §5.1 allows only printable characters (tab, LF, CR, x20-x7E, x85, xA0 and above); Unicode TR9
    // lists the bidirectional embedding, override and isolate controls.
    private static string? Describe(char c) => c switch
    {
        '\t' or '\r' => null,
        < ' ' or '\u007F' => "a control character",
        >= '\u0080' and <= '\u009F' when c != '\u0085' => "a control character",
        '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => "a bidirectional control",
        _ => null,
    };

    private static (int Line, int Column) Position(ReadOnlySpan<byte> valid)
    {
        var lineStart = valid.LastIndexOf((byte)'\n') + 1;
        var line = valid.Count((byte)'\n') + 1;
        return (line, Encoding.UTF8.GetCharCount(valid[lineStart..]) + 1);
    }
}
