using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Testing.Decisions;

/// <summary>
/// A file of tests/cases/decisions: the agreements it uses and the requests decided against them. The same files
/// run against the library, <c>concordat decide</c> and the HTTP API, so the three cannot drift.
/// </summary>
/// <param name="Name">The file name without extension.</param>
/// <param name="Description">What the file covers.</param>
/// <param name="Agreements">The agreements, in order.</param>
/// <param name="Cases">The requests and expected answers.</param>
public sealed record DecisionCaseFile(string Name, string Description, IReadOnlyList<CaseAgreement> Agreements, IReadOnlyList<DecisionCase> Cases)
{
    /// <summary>Finds the corpus directory: tests/cases/decisions copied next to the test binaries, or in the source tree.</summary>
    public static string CorpusDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "cases", "decisions"), Path.Combine(directory.FullName, "tests", "cases", "decisions") })
            {
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/cases/decisions not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The names of every case file, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(CorpusDirectory(), "*.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    /// <summary>The names of the case files whose agreements are all files in force, for <c>[MemberData]</c> of the CLI and HTTP runners.</summary>
    public static IEnumerable<object[]> NamesUsingOnlyFilesInForce() => Names().Where(n => Load((string)n[0]).UsesOnlyFilesInForce);

    public static DecisionCaseFile Load(string name)
    {
        var path = Path.Combine(CorpusDirectory(), name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var agreements = root.GetProperty("agreements").EnumerateArray().Select(a => new CaseAgreement(
            a.TryGetProperty("builder", out var builder) ? builder.GetString() : null,
            a.TryGetProperty("file", out var file) ? file.GetString() : null,
            !a.TryGetProperty("inForce", out var inForce) || inForce.GetBoolean())).ToList();
        var cases = root.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var caseName = c.GetProperty("name").GetString()!;
            if (!DecisionJson.TryReadRequest(c.GetProperty("request"), null, out var request, out var error))
            {
                throw new InvalidDataException($"{path}: case `{caseName}`: {error.Message}");
            }

            if (!DecisionNames.TryParseEffect(c.GetProperty("effect").GetString(), out var effect))
            {
                throw new InvalidDataException($"{path}: case `{caseName}`: unknown effect");
            }

            var reasons = c.GetProperty("reasons").EnumerateArray().Select(r => new ExpectedReason(
                r.GetProperty("code").GetString()!,
                r.TryGetProperty("clause", out var clause) ? clause.GetString() : null,
                r.TryGetProperty("agreement", out var agreement) ? agreement.GetString() : null)).ToList();
            var obligations = c.TryGetProperty("obligations", out var o) ? Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(o.GetRawText()))) : null;
            return new DecisionCase(caseName, request, effect, reasons, obligations);
        }).ToList();
        return new DecisionCaseFile(name, root.GetProperty("description").GetString()!, agreements, cases);
    }

    /// <summary>Finds a repository-relative file (such as a sample agreement) next to the test binaries or in the source tree.</summary>
    public static string ResolvePath(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"`{relativePath}` not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Gets a value indicating whether every agreement is a file treated as in force, so the CLI and HTTP runners can use the file.</summary>
    public bool UsesOnlyFilesInForce => Agreements.All(a => a.File is not null && a.InForce);

    /// <summary>Builds the policy agreements of the file: from builder names, or read from files with the agreement reader.</summary>
    public IReadOnlyList<PolicyAgreement> BuildAgreements() => [.. Agreements.Select(a =>
    {
        var agreement = a.Builder is not null && CorpusAgreements.TryBuild(a.Builder, out var built)
            ? built!
            : a.File is not null
                ? AgreementReader.Read(File.ReadAllText(ResolvePath(a.File)), a.File).Agreement ?? throw new InvalidDataException($"{Name}: agreement file `{a.File}` is not valid")
                : throw new InvalidDataException($"{Name}: agreement `{a.Builder}` has no builder");
        return new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement), a.InForce);
    })];
}
