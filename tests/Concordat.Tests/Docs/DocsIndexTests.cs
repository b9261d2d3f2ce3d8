using System.Text.RegularExpressions;
using Concordat.Testing;

namespace Concordat.Tests.Docs;

/// <summary>The documentation index lists every page, and no relative link in README.md or docs/ points nowhere.</summary>
public sealed partial class DocsIndexTests
{
    private static readonly string s_root = RepositoryRoot.Find();

    [Fact]
    public void Index_ListsEveryPage()
    {
        var index = File.ReadAllText(Path.Combine(s_root, "docs", "README.md"));

        var unlisted = Pages()
            .Select(page => Path.GetRelativePath(Path.Combine(s_root, "docs"), page).Replace('\\', '/'))
            .Where(relative => relative != "README.md" && !index.Contains($"]({relative})", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(unlisted);
    }

    [Fact]
    public void RelativeLinks_PointAtFilesThatExist()
    {
        var broken = new List<string>();

        foreach (var page in Pages().Append(Path.Combine(s_root, "README.md")))
        {
            foreach (Match link in Link().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups["target"].Value;
                if (!File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target))) && !Directory.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target))))
                {
                    broken.Add($"{Path.GetRelativePath(s_root, page)}: {target}");
                }
            }
        }

        Assert.True(Pages().Count() > 10, "no documentation pages found");
        Assert.Empty(broken);
    }

    private static IEnumerable<string> Pages() => Directory.EnumerateFiles(Path.Combine(s_root, "docs"), "*.md", SearchOption.AllDirectories);

    // A Markdown link whose target is a relative path (no scheme, not an anchor alone); the anchor part is dropped.
    [GeneratedRegex(@"\]\((?!https?:|mailto:|#)(?<target>[^)#\s]+)(#[^)]*)?\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
