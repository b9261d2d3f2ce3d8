namespace Concordat.Cli.Commands;

/// <summary>Reads a signatures file: one signature per line; blank lines and <c>#</c> comments are skipped.</summary>
internal static class SignatureLines
{
    public static IReadOnlyList<object> Read(string text) => text
        .Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => (object)new { keyName = line.Split(' ', 2)[0], signature = line })
        .ToList();
}
