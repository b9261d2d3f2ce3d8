namespace Concordat.Cli;

/// <summary>
/// Says in one line why a path is not a readable file (a folder, or missing), and writes output files so that an
/// unwritable path is one error line with its code, never an exception.
/// </summary>
internal static class CliPaths
{
    /// <summary>Returns why <paramref name="path"/> is not a file that can be read, or null when it is one.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for the message, such as <c>key file</c>.</param>
    public static string? FileProblem(string path, string what = "file") =>
        Directory.Exists(path) ? $"{what} `{path}` is a directory, not a file"
        : !File.Exists(path) ? $"{what} `{path}` is missing"
        : null;

    /// <summary>Runs <paramref name="write"/>, or writes one <see cref="CliErrorCodes.OutputUnwritable"/> line and returns false.</summary>
    public static bool TryWrite(CliContext context, string path, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Fail(CliErrorCodes.OutputUnwritable, $"cannot write `{path}`: {Reason(path, ex)}");
            return false;
        }
    }

    /// <summary>Names the reason a file operation failed without a stack trace.</summary>
    public static string Reason(string path, Exception ex) => ex switch
    {
        DirectoryNotFoundException => $"its folder `{Path.GetDirectoryName(Path.GetFullPath(path))}` does not exist",
        UnauthorizedAccessException when Directory.Exists(path) => "it is a directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
