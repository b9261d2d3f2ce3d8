using System.Text.RegularExpressions;
using Concordat.Testing;

namespace Concordat.Gateway.Tests;

/// <summary>
/// The gateway's tests mirror its folders, so that the tests of a folder are found next to its name: every folder of
/// this project that holds code has a src/Concordat.Gateway folder of the same path, and every file's namespace is
/// its folder's. Whole-app tests (the app's start-up, the OpenAPI document, this one) stay in the project's root.
/// </summary>
public sealed partial class TestLayoutTests
{
    private static readonly string s_root = RepositoryRoot.Find();
    private static readonly string s_tests = Path.Combine(s_root, "tests", "Concordat.Gateway.Tests");
    private static readonly string s_sources = Path.Combine(s_root, "src", "Concordat.Gateway");

    [Fact]
    public void TestFolders_EachHoldingCode_MirrorASourceFolder()
    {
        var unmatched = CodeFiles()
            .Select(Path.GetDirectoryName)
            .Select(folder => Path.GetRelativePath(s_tests, folder!))
            .Where(folder => folder != ".")
            .Distinct(StringComparer.Ordinal)
            .Where(folder => !Directory.Exists(Path.Combine(s_sources, folder)))
            .Order(StringComparer.Ordinal);

        Assert.Empty(unmatched);
    }

    [Fact]
    public void TestFiles_Namespace_IsTheirFolder()
    {
        var misplaced = CodeFiles()
            .Select(file => (File: Path.GetRelativePath(s_tests, file), Namespace: NamespaceLine().Match(File.ReadAllText(file)).Groups[1].Value))
            .Where(f => f.Namespace != Expected(f.File))
            .Select(f => $"{f.File}: `{f.Namespace}`, expected `{Expected(f.File)}`");

        Assert.Empty(misplaced);
    }

    private static string Expected(string file) =>
        string.Join('.', new[] { "Concordat.Gateway.Tests" }.Concat(Path.GetDirectoryName(file)!.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)));

    private static IEnumerable<string> CodeFiles() =>
        Directory.EnumerateFiles(s_tests, "*.cs", SearchOption.AllDirectories)
            .Where(file => Path.GetRelativePath(s_tests, file).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"));

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
