using Concordat.Crypto;

namespace Concordat.Cli;

/// <summary>
/// Reading key files; they are written with <see cref="Concordat.Gateway.Hosting.SecretFile"/>, readable and writable by their owner only.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Reads a signer key file, or says in one line why it cannot.</summary>
    public static bool TryReadSignerKey(string path, out NoteSignerKey? key, out string? error)
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
