namespace Concordat.Gateway.Hosting;

/// <summary>
/// Files that hold a secret (signer keys, the pseudonymisation key, the administrative key): readable and writable
/// by their owner only. The gateway's workspace and the command line's key commands both write them this way.
/// </summary>
public static class SecretFile
{
    /// <summary>Writes <paramref name="contents"/> to a new file that only its owner can read (mode 0600).</summary>
    /// <param name="path">The file; it MUST NOT exist.</param>
    /// <param name="contents">The text to write.</param>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static void WriteNew(string path, string contents)
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
}
