using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Concordat.Core;
using Concordat.Testing;
using Concordat.Testing.Core;

namespace Concordat.Cli.Tests;

/// <summary>
/// The error-code tables of every shipped assembly (the command line references them all) and docs/errors.md say the
/// same: every code has one row whose title, meaning and fix (and status or exit) are its entry's, word for word; no
/// code is documented that no table declares; a code is written as a string only in its table's declaration.
/// </summary>
public sealed partial class ErrorCodesDocumentTests
{
    private static readonly IReadOnlyList<ErrorCodeDeclaration> s_declarations = ErrorCodeTables.Find(typeof(CliErrorCodes).Assembly);

    [Fact]
    public void Tables_EveryCode_IsDeclaredOnceWithTheShapeOfACode()
    {
        var duplicates = s_declarations.GroupBy(d => d.Entry.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(Name))}");
        var malformed = s_declarations.Where(d => !CodeShape().IsMatch(d.Entry.Code)).Select(Name);

        Assert.Empty(duplicates);
        Assert.Empty(malformed);
        Assert.True(s_declarations.Count > 150, $"only {s_declarations.Count} entries found");
    }

    [Fact]
    public void ErrorsMd_EveryTableEntry_HasOneRowWithItsWords()
    {
        var rows = ReadRows();
        var problems = new List<string>();

        foreach (var (_, _, entry) in s_declarations)
        {
            var matching = rows.Where(r => r.Code == entry.Code).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"{entry.Code}: {matching.Count} rows in docs/errors.md");
                continue;
            }

            var row = matching[0];
            Compare(problems, row, "title", entry.Title);
            Compare(problems, row, "meaning", entry.Meaning);
            Compare(problems, row, "fix", entry.Fix);

            // A family's own words beside the common ones (a gateway code's status, a command-line code's exit) are
            // columns of the same name.
            foreach (var property in entry.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType != typeof(ErrorCode)))
            {
                Compare(problems, row, property.Name.ToLowerInvariant(), Convert.ToString(property.GetValue(entry), CultureInfo.InvariantCulture)!);
            }

            if (row.Anchor != entry.Code)
            {
                problems.Add($"{entry.Code}: the row's anchor is `{row.Anchor}`, not `<a id=\"{entry.Code}\"></a>`");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void ErrorsMd_EveryDocumentedCode_IsInATable()
    {
        var declared = s_declarations.Select(d => d.Entry.Code).ToHashSet(StringComparer.Ordinal);

        var undeclared = ReadRows().Where(r => !declared.Contains(r.Code)).Select(r => $"{r.Code} (line {r.Line})");

        Assert.Empty(undeclared);
    }

    [Fact]
    public void Sources_CodeLiteral_AppearsOnlyInItsTablesDeclaration()
    {
        var src = Path.Combine(RepositoryRoot.Find(), "src");
        var strays = new List<string>();

        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (CodeLiteral().IsMatch(lines[i]) && !TableDeclaration().IsMatch(lines[i]))
                {
                    strays.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(strays.Count == 0, "name the table's entry instead of writing its code:\n" + string.Join('\n', strays));
    }

    [Fact]
    public void Repository_EveryLinkIntoErrorsMd_Resolves()
    {
        var root = RepositoryRoot.Find();
        var errors = File.ReadAllText(Path.Combine(root, "docs", "errors.md"));
        var anchors = Heading().Matches(errors).Select(m => Slug(m.Groups["text"].Value))
            .Concat(AnchorTag().Matches(errors).Select(m => m.Groups["id"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var files = new[] { "docs", "src", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "README.md"))
            .Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal));

        var broken = files
            .SelectMany(f => LinkIntoErrors().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(root, f), Anchor: m.Groups["anchor"].Value)))
            .Where(link => !anchors.Contains(link.Anchor))
            .Select(link => $"{link.File}: errors.md#{link.Anchor}");

        Assert.Empty(broken);
    }

    private static string Name(ErrorCodeDeclaration declaration) => $"{declaration.Table.FullName}.{declaration.Field}";

    private static void Compare(List<string> problems, DocumentRow row, string column, string expected)
    {
        if (!row.Cells.TryGetValue(column, out var actual))
        {
            problems.Add($"{row.Code}: docs/errors.md line {row.Line} has no `{column}` column");
        }
        else if (actual != expected)
        {
            problems.Add($"{row.Code}: the {column} in docs/errors.md (line {row.Line}) is `{actual}`, its table says `{expected}`");
        }
    }

    /// <summary>Reads every table row of docs/errors.md whose first cell is a code, with its cells by column name.</summary>
    private static List<DocumentRow> ReadRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Find(), "docs", "errors.md"));
        var rows = new List<DocumentRow>();
        string[]? header = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|'))
            {
                header = null;
                continue;
            }

            var cells = lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (header is null)
            {
                header = cells;
                continue;
            }

            var first = CodeCell().Match(cells[0]);
            if (first.Success)
            {
                var byColumn = header.Zip(cells).Skip(1).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
                rows.Add(new DocumentRow(first.Groups["code"].Value, first.Groups["anchor"].Success ? first.Groups["anchor"].Value : null, byColumn, i + 1));
            }
        }

        return rows;
    }

    /// <summary>The anchor GitHub gives a heading: lowercase, punctuation other than <c>-</c> and <c>_</c> dropped, spaces as <c>-</c>.</summary>
    private static string Slug(string heading) =>
        new string([.. heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');

    [GeneratedRegex("^[A-Z]{2,3}[0-9]{4}$")]
    private static partial Regex CodeShape();

    [GeneratedRegex("\"[A-Z]{2,3}[0-9]{4}\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex("^\\s*public static readonly \\w+ \\w+ = new\\(\"[A-Z]{2,3}[0-9]{4}\", ")]
    private static partial Regex TableDeclaration();

    [GeneratedRegex("^(?:<a id=\"(?<anchor>[^\"]*)\"></a>)?`?(?<code>[A-Z]{2,3}[0-9]{4})`?$")]
    private static partial Regex CodeCell();

    [GeneratedRegex("^#+ (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex("<a id=\"(?<id>[^\"]+)\"></a>")]
    private static partial Regex AnchorTag();

    [GeneratedRegex("errors\\.md#(?<anchor>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkIntoErrors();

    private sealed record DocumentRow(string Code, string? Anchor, IReadOnlyDictionary<string, string> Cells, int Line);
}
