using System.CommandLine;
using Concordat.Core;
using Concordat.Notes;

namespace Concordat.Cli;

/// <summary>
/// Reading a verb's input from a file or, when no file (or <c>-</c>) is given, from standard input.
/// </summary>
internal static class CliInput
{
    /// <summary>Reads the RFC 3339 UTC instant given to <paramref name="option"/>, or now when it was left out.</summary>
    /// <returns>False when the text is not an instant: the error is written and <paramref name="exit"/> is the exit code.</returns>
    public static bool TryReadInstantOrNow(CliContext context, ParseResult parse, Option<string?> option, out DateTimeOffset instant, out int exit)
    {
        instant = TimeProvider.System.GetUtcNow();
        exit = ExitCodes.Ok;
        if (parse.GetValue(option) is { } text && !Rfc3339.TryParseUtc(text, out instant, out var error))
        {
            exit = context.Fail(CliErrorCodes.InvalidInstant, $"`{option.Name}`: `{text}` is not a valid instant", error);
            return false;
        }

        return true;
    }

    /// <summary>Reads each <c>--witness-key</c>: a cosignature/v1 verifier key, inline or a file that holds one.</summary>
    /// <returns>False at the first key that does not read: the error is written with <paramref name="code"/> and <paramref name="exit"/> is the exit code.</returns>
    public static bool TryReadWitnessKeys(CliContext context, string[]? texts, CliErrorCode code, out IReadOnlyList<NoteVerifier> cosigners, out int exit)
    {
        var read = new List<NoteVerifier>();
        cosigners = read;
        exit = ExitCodes.Ok;
        foreach (var text in texts ?? [])
        {
            if (!CosignatureV1.TryParseVerifierKey(File.Exists(text) ? File.ReadAllText(text).Trim() : text, out var cosigner, out var error))
            {
                exit = context.Fail(code, $"`--witness-key`: {error}");
                return false;
            }

            read.Add(cosigner);
        }

        return true;
    }

    /// <summary>Gets the name diagnostics use for the input.</summary>
    public static string DisplayName(string? path) => path is null or "-" ? "<stdin>" : path;

    /// <summary>Reads the whole input, or writes one error line (exit 1) and returns false.</summary>
    public static bool TryReadAll(CliContext context, string? path, out byte[] bytes)
    {
        bytes = [];
        try
        {
            if (path is null or "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            else if (CliPaths.FileProblem(path) is { } problem)
            {
                context.Fail(CliErrorCodes.InputUnreadable, problem);
                return false;
            }
            else
            {
                bytes = File.ReadAllBytes(path);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Fail(CliErrorCodes.InputUnreadable, $"cannot read `{DisplayName(path)}`: {ex.Message}");
            return false;
        }
    }
}
