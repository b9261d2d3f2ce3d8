using System.Security.Cryptography;
using Concordat.Attestations;
using Concordat.Core;

namespace Concordat.Cli;

/// <summary>
/// The subjects of a file or folder: a file is one subject named by its file name; a folder gives one subject per
/// file beneath it, named by its path relative to the folder with <c>/</c> separators, sorted by ordinal comparison.
/// </summary>
internal static class AttestationFiles
{
    public static IReadOnlyList<AttestationSubject> Subjects(string path)
    {
        if (File.Exists(path))
        {
            return [Subject(Path.GetFileName(path), path)];
        }

        var root = Path.GetFullPath(path);
        return [.. Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Select(file => (Name: Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), File: file))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => Subject(f.Name, f.File))];
    }

    /// <summary>
    /// Prints a signed envelope, or writes it to <paramref name="outPath"/>; on a write error fails the verb.
    /// </summary>
    /// <returns><see langword="true"/> when it was written to the file (the caller prints its summary); <see langword="false"/> with <paramref name="exit"/> set otherwise.</returns>
    public static bool TryWriteEnvelope(CliContext context, byte[] envelope, string? outPath, out int exit)
    {
        exit = ExitCodes.Ok;
        if (outPath is null)
        {
            context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(envelope));
            return false;
        }

        try
        {
            File.WriteAllBytes(outPath, envelope);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            exit = context.Fail(CliErrorCodes.OutputUnwritable, $"`{outPath}` cannot be written: {ex.Message}");
            return false;
        }
    }

    private static AttestationSubject Subject(string name, string file)
    {
        using var stream = File.OpenRead(file);
        return AttestationSubject.FromSha256(name, Sha256Digest.FromBytes(SHA256.HashData(stream)));
    }
}
