using Concordat.Crypto;

namespace Concordat.Cli;

/// <summary>
/// Reading and writing key files: signer keys are created readable and writable by their owner only.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Writes <paramref name="contents"/> to a new file that only its owner can read (mode 0600).</summary>
    public static void WriteSecret(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Security: the mode is set at creation, so the secret is never readable by others, not even briefly.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    }

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
