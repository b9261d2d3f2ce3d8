using System.Diagnostics.CodeAnalysis;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Log;

namespace Concordat.Cli;

/// <summary>
/// Reading key files; they are written with <see cref="Concordat.Gateway.Hosting.SecretFile"/>, readable and writable by their owner only.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Reads a signer key file, or says in one line why it cannot.</summary>
    public static bool TryReadSignerKey(string path, [NotNullWhen(true)] out NoteSignerKey? key, out string? error)
    {
        key = null;
        if (CliPaths.FileProblem(path, "key file") is { } problem)
        {
            error = problem;
            return false;
        }

        if (!NoteKey.TryParseSignerKey(File.ReadAllText(path).Trim(), out key, out var parseError))
        {
            error = $"key file `{path}`: {parseError}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Reads the signer key file a verb's <c>--key</c> names, or fails the verb: a missing file is a file error, a key
    /// that does not parse is <c>LOG</c>'s malformed key.
    /// </summary>
    /// <returns><see langword="true"/> with the key; otherwise <see langword="false"/> with the verb's exit code.</returns>
    public static bool TryLoadSignerKey(CliContext context, string path, [NotNullWhen(true)] out NoteSignerKey? key, out int exit)
    {
        key = null;
        exit = 0;
        if (MissingFile(path) is { } missing)
        {
            exit = context.Fail(CliErrorCodes.FileUnreadable, missing);
            return false;
        }

        if (!TryReadSignerKey(path, out key, out var error))
        {
            exit = context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, error!, "give the .key file that `concordat key new` wrote");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads the DSSE verifier keys a verb's <c>--key</c> or <c>--trust</c> names (each inline or a file), or fails the
    /// verb: a missing file is a file error, a key that does not parse is <c>LOG</c>'s malformed key.
    /// </summary>
    /// <returns><see langword="true"/> with the keys; otherwise <see langword="false"/> with the verb's exit code.</returns>
    public static bool TryLoadDsseKeys(CliContext context, IEnumerable<string> texts, out List<DsseVerifierKey> keys, out int exit)
    {
        keys = [];
        exit = 0;
        foreach (var text in texts)
        {
            if (MissingFile(text) is { } missing)
            {
                exit = context.Fail(CliErrorCodes.FileUnreadable, missing);
                return false;
            }

            if (!TryReadVerifierKey(text, out var verifierKey, out var error))
            {
                exit = context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, error!, "give a verifier key `name+hash+base64` or a .pub file that `concordat key new` wrote");
                return false;
            }

            keys.Add(DsseVerifierKey.FromNoteKey(verifierKey!));
        }

        return true;
    }

    /// <summary>Says why a key given as a path (a signer key file, or a verifier key with no <c>+</c>) is not a file; null when it is one or is inline.</summary>
    public static string? MissingFile(string textOrPath) =>
        File.Exists(textOrPath) || (!Directory.Exists(textOrPath) && textOrPath.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal))
            ? null
            : Directory.Exists(textOrPath) || !textOrPath.Contains('+', StringComparison.Ordinal) || textOrPath.EndsWith(".key", StringComparison.Ordinal) || textOrPath.EndsWith(".pub", StringComparison.Ordinal)
                ? CliPaths.FileProblem(textOrPath, "key file")
                : null;

    /// <summary>Reads a verifier key given inline or as a file path, or says in one line why it cannot.</summary>
    public static bool TryReadVerifierKey(string textOrPath, out NoteVerifierKey? key, out string? error)
    {
        key = null;

        // A verifier key is `name+hash+base64`; a value with no `+` can only be meant as a path.
        if (MissingFile(textOrPath) is { } missing)
        {
            error = missing;
            return false;
        }

        var text = File.Exists(textOrPath) ? File.ReadAllText(textOrPath).Trim() : textOrPath;
        if (!NoteKey.TryParseVerifierKey(text, out key, out var parseError))
        {
            error = $"verifier key `{textOrPath}`: {parseError}";
            return false;
        }

        error = null;
        return true;
    }
}
