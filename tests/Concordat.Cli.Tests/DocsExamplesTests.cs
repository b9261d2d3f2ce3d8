using System.Text.RegularExpressions;
using Concordat.Testing;

namespace Concordat.Cli.Tests;

/// <summary>
/// Every shell example (<c>```sh</c> block) of README.md and docs/cli.md runs with the built command, in a temporary
/// folder that holds the repository's samples: each command exits 0 (a <c>decide</c> may exit 2, a deny). The
/// long-running ones (<c>scripts/run.sh</c>, <c>scripts/test.sh</c>, <c>serve</c>, <c>quickstart</c>) and those that
/// need a PostgreSQL server are only parsed: the script exists, or the verb and its options do. (README's tour was
/// checked by a test of its own before; this one runs it with every other example.)
/// </summary>
public sealed partial class DocsExamplesTests
{
    [Theory]
    [InlineData("README.md", new[] { "in-force", "eu-only", "log verified" })]
    [InlineData("docs/cli.md", new[] { "inclusion proof holds", "PERMIT", "\"effect\":\"deny\"" })]
    public async Task ShellExamples_EveryCommand_RunsOrParses(string document, string[] printed)
    {
        var root = RepositoryRoot.Find();
        var lines = ShellBlocks().Matches(await File.ReadAllTextAsync(Path.Combine(root, document)))
            .SelectMany(m => m.Groups["body"].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var folder = Directory.CreateTempSubdirectory("concordat-docs-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(folder, "samples"), Path.Combine(root, "samples"));
            var runnable = new List<string>();
            var problems = new List<string>();
            foreach (var line in lines.Select(l => l.Replace("/tmp/ws", Path.Combine(folder, "ws"), StringComparison.Ordinal)))
            {
                if (line.StartsWith("bash scripts/", StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(Path.Combine(root, line["bash ".Length..].Split(' ')[0])), line);
                }
                else if (line.StartsWith("concordat serve ", StringComparison.Ordinal) || line.StartsWith("concordat quickstart", StringComparison.Ordinal) || line.Contains("--store \"Host=", StringComparison.Ordinal))
                {
                    var errors = ConcordatCommand.Create(TextWriter.Null, TextWriter.Null).Parse(ConcordatCommandTests.ExampleArguments(line)).Errors;
                    problems.AddRange(errors.Select(e => $"{line}: {e.Message}"));
                }
                else
                {
                    runnable.Add(line);
                }
            }

            var script = string.Join('\n', runnable.Select((l, i) => $"{l}; echo \"exit {i}=$?\""));
            var result = await CliProcess.RunBashAsync(script, folder);

            for (var i = 0; i < runnable.Count; i++)
            {
                var exit = Regex.Match(result.Out, $"^exit {i}=(?<code>[0-9]+)$", RegexOptions.Multiline).Groups["code"].Value;
                var allowed = runnable[i].Contains("concordat decide", StringComparison.Ordinal) ? new[] { "0", "2" } : ["0"];
                if (!allowed.Contains(exit))
                {
                    problems.Add($"`{runnable[i]}` exited {(exit.Length == 0 ? "(not run)" : exit)}");
                }
            }

            Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + result.Out + result.Error);
            Assert.All(printed, text => Assert.Contains(text, result.Out, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("^```sh\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlocks();
}
