using System.Text;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Core;

namespace Concordat.Cli;

/// <summary>
/// Loading agreements, their signature files, termination records and trusted keys for the agreement verbs, with
/// every problem written once in the user's error format.
/// </summary>
internal static class AgreementFiles
{
    /// <summary>Reads and validates an agreement file; writes its diagnostics; returns null when it has errors or is missing.</summary>
    public static Agreement? Load(CliContext context, string path, out int exitCode)
    {
        if (!TryReadAgreement(context, path, out var result, out var source, out exitCode))
        {
            return null;
        }

        Write(context, result.Diagnostics, source);
        if (result.Agreement is null)
        {
            exitCode = ExitCodes.Invalid;
        }

        return result.Agreement;
    }

    /// <summary>Reads and validates an agreement file, writing nothing but a read failure.</summary>
    /// <returns>False when the file cannot be read (the error is written); the result otherwise, with <paramref name="source"/> the text its snippets show.</returns>
    public static bool TryReadAgreement(CliContext context, string path, out AgreementReadResult result, out string source, out int exitCode)
    {
        result = null!;
        source = string.Empty;
        if (!TryRead(context, path, File.ReadAllBytes, out var bytes, out exitCode))
        {
            return false;
        }

        // Security: the library decodes strictly (invalid UTF-8 is an error); the lenient decoding here only shows snippets.
        result = AgreementReader.Read(bytes, path);
        source = Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>Reads the signatures next to an agreement (or at <paramref name="signaturesPath"/>); a missing file means none.</summary>
    public static IReadOnlyList<AgreementSignature>? LoadSignatures(CliContext context, string agreementPath, string? signaturesPath, out int exitCode)
    {
        var path = signaturesPath ?? SignatureFile.PathFor(agreementPath);
        exitCode = ExitCodes.Ok;
        if (signaturesPath is null && !File.Exists(path))
        {
            return [];
        }

        if (!TryReadText(context, path, out var text, out exitCode))
        {
            return null;
        }

        var signatures = SignatureFile.Read(text, path, out var diagnostics);
        if (diagnostics.Count > 0)
        {
            context.WriteDiagnostics(diagnostics);
            exitCode = ExitCodes.Invalid;
            return null;
        }

        return signatures;
    }

    /// <summary>Reads the termination record next to an agreement, when there is one.</summary>
    public static bool TryLoadTermination(CliContext context, string agreementPath, out TerminationRecord? record, out int exitCode)
    {
        record = null;
        exitCode = ExitCodes.Ok;
        var path = TerminationFile.PathFor(agreementPath);
        if (!File.Exists(path))
        {
            return true;
        }

        if (!TryReadText(context, path, out var text, out exitCode))
        {
            return false;
        }

        record = TerminationFile.Read(text, path, out var diagnostics);
        if (record is null)
        {
            context.WriteDiagnostics(diagnostics);
            exitCode = ExitCodes.Invalid;
            return false;
        }

        return true;
    }

    /// <summary>Reads a trusted-keys file (lines <c>signer-id verifier-key</c>).</summary>
    public static TrustedKeys? LoadTrustedKeys(CliContext context, string path, out int exitCode)
    {
        if (!TryReadText(context, path, out var text, out exitCode))
        {
            return null;
        }

        var keys = TrustedKeys.Read(text, path, out var diagnostics);
        if (diagnostics.Count > 0)
        {
            Write(context, diagnostics, text);
            exitCode = ExitCodes.Invalid;
            return null;
        }

        return keys;
    }

    /// <summary>Writes diagnostics: rendered with source snippets for people, or as the library's JSON.</summary>
    public static void Write(CliContext context, IReadOnlyList<Diagnostic> diagnostics, string? source)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        if (context.IsJsonErrors)
        {
            context.WriteDiagnostics(diagnostics);
        }
        else
        {
            context.Error.Write(DiagnosticRenderer.Render(diagnostics, source));
        }
    }

    private static bool TryReadText(CliContext context, string path, out string text, out int exitCode) =>
        TryRead(context, path, File.ReadAllText, out text, out exitCode);

    private static bool TryRead<T>(CliContext context, string path, Func<string, T> read, out T content, out int exitCode)
    {
        content = default!;
        exitCode = ExitCodes.Ok;
        if (CliPaths.FileProblem(path) is { } problem)
        {
            exitCode = context.Fail(CliErrorCodes.FileUnreadable, problem, Directory.Exists(path) ? "give the path of a file" : null);
            return false;
        }

        try
        {
            content = read(path);
            return true;
        }
        catch (IOException ex)
        {
            exitCode = context.Fail(CliErrorCodes.FileUnreadable, $"file `{path}` cannot be read: {ex.Message}");
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            exitCode = context.Fail(CliErrorCodes.FileUnreadable, $"file `{path}` cannot be read: permission denied");
            return false;
        }
    }
}
