using System.Reflection;

namespace Concordat.Testing;

/// <summary>
/// A shipped assembly's public surface as text, checked against a reviewed list under <c>docs/api/</c> so that a
/// change to it shows up in review. Set CONCORDAT_UPDATE_PUBLIC_API=1 to rewrite a list for a human to review; the
/// check never does so by itself.
/// </summary>
public static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Compares the public surface of <paramref name="assembly"/> with the one listed in <c>docs/api/<paramref name="fileName"/></c>.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <param name="fileName">The reviewed list's file name under <c>docs/api/</c>.</param>
    /// <returns><see langword="null"/> when they match, else what differs and how to review it.</returns>
    public static string? FindDifference(Assembly assembly, string fileName)
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "api", fileName);
        var actual = Describe(assembly);

        if (Environment.GetEnvironmentVariable("CONCORDAT_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        if (!File.Exists(path))
        {
            return $"missing {path}; run with CONCORDAT_UPDATE_PUBLIC_API=1 and review it";
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        return expected == actual
            ? null
            : $"the public surface changed; run with CONCORDAT_UPDATE_PUBLIC_API=1 and review the diff of docs/api/{fileName}. First difference:\n{FirstDifference(expected, actual)}";
    }

    /// <summary>Lists the exported types of <paramref name="assembly"/> and their public and protected members, sorted.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>One line per type and per member, LF line ends.</returns>
    public static string Describe(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"type {type.FullName}");
            var members = type.GetMembers(Declared)
                .Where(m => m is not MethodBase { IsPrivate: true } and not MethodBase { IsAssembly: true })
                .Select(m => m is Type nested ? $"  nested {nested.Name}" : $"  {m}")
                .Order(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(end)";
            var a = i < actualLines.Length ? actualLines[i] : "(end)";
            if (e != a)
            {
                return $"line {i + 1}: expected `{e}`, found `{a}`";
            }
        }

        return "(none)";
    }
}
