using System.CommandLine;
using System.Text.RegularExpressions;

namespace Concordat.Cli.Tests;

/// <summary>The root command: help with usage lines that say <c>concordat</c>, an example for every verb, argument errors with a code.</summary>
public sealed partial class ConcordatCommandTests
{
    [Fact]
    public void Examples_EveryCommand_HasOneThatParses()
    {
        var root = ConcordatCommand.Create(TextWriter.Null, TextWriter.Null);
        var problems = new List<string>();

        foreach (var command in Walk(root))
        {
            var path = ConcordatCommand.PathOf(command);
            if (!CommandExamples.ByPath.TryGetValue(path, out var example))
            {
                problems.Add($"`{path}` has no example");
                continue;
            }

            var errors = root.Parse(ExampleArguments(example)).Errors;
            if (errors.Count > 0)
            {
                problems.Add($"`{example}`: {string.Join("; ", errors.Select(e => e.Message))}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Examples_EveryEntry_NamesACommand()
    {
        var paths = Walk(ConcordatCommand.Create(TextWriter.Null, TextWriter.Null)).Select(ConcordatCommand.PathOf).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(CommandExamples.ByPath.Keys, k => !paths.Contains(k));
    }

    [Fact]
    public async Task Help_Verb_PrintsUsageWithConcordatAndTheExample()
    {
        var result = await CliRunner.RunAsync("help", "log", "verify");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Usage:\n  concordat log verify [options]", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Example:\n  concordat log verify --workspace ws", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_SameAsTheHelpOption()
    {
        var help = await CliRunner.RunAsync("help", "decide");
        var option = await CliRunner.RunAsync("decide", "--help");

        Assert.Equal(option.Out, help.Out);
    }

    [Fact]
    public async Task Run_NoArguments_PrintsTheVerbs()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Usage:\n  concordat [command] [options]", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("identity", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownOption_ExitsInvalidWithCodeAndHelp()
    {
        var result = await CliRunner.RunAsync("log", "verify", "--workspace", "ws", "--nope");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI0004: unrecognized command or argument '--nope'", result.Error, StringComparison.Ordinal);
        Assert.Contains("help: run `concordat help log verify` for its usage and an example", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("99999999999999999999", "is out of range: it must be between 0 and 9223372036854775807")]
    [InlineData("-1", "is out of range: it must be between 0 and 9223372036854775807")]
    [InlineData("ten", "is not a whole number")]
    public async Task Run_IndexNotInRange_SaysSo(string index, string expected)
    {
        var result = await CliRunner.RunAsync("log", "get", "--workspace", "nowhere", "--index", index);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith($"error CLI0004: `--index`: `{index}` {expected}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_IndexOverflows_SaysOutOfRange()
    {
        var result = await CliRunner.RunAsync("log", "check-inclusion", "--leaf-hash", new string('0', 64), "--index", "99999999999999999999", "--size", "1", "--root", new string('0', 64));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("--index `99999999999999999999` is out of range", result.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<Command> Walk(Command command) => [command, .. command.Subcommands.SelectMany(Walk)];

    /// <summary>The arguments of an example's <c>concordat</c> call: after the last pipe, command substitutions left out.</summary>
    internal static string[] ExampleArguments(string example)
    {
        var call = example[(example.LastIndexOf("| concordat ", StringComparison.Ordinal) is var pipe and >= 0 ? pipe + 2 : 0)..];
        call = Substitution().Replace(call, string.Empty);
        var words = Words().Matches(call).Select(m => m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["s"].Success ? m.Groups["s"].Value : m.Value).ToArray();
        Assert.Equal("concordat", words[0]);
        return words[1..];
    }

    [GeneratedRegex(@"\$\([^)]*\)")]
    private static partial Regex Substitution();

    [GeneratedRegex("\"(?<q>[^\"]*)\"|'(?<s>[^']*)'|[^\\s]+")]
    private static partial Regex Words();
}
