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
        if (!File.Exists(path))
        {
            error = $"key file `{path}` does not exist";
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

    /// <summary>Reads a verifier key given inline or as a file path, or says in one line why it cannot.</summary>
    public static bool TryReadVerifierKey(string textOrPath, out NoteVerifierKey? key, out string? error)
    {
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
