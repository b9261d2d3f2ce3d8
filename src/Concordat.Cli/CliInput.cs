namespace Concordat.Cli;

/// <summary>
/// Reading a verb's input from a file or, when no file (or <c>-</c>) is given, from standard input.
/// </summary>
internal static class CliInput
{
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
