using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concordat.Licences;
using Concordat.Testing;
using Concordat.Testing.Peers;

namespace Concordat.Tests.Licences;

/// <summary>
/// Differential tests against npm's <c>spdx-expression-parse</c> (tests/node/spdx-parse.mjs): a few hundred generated
/// expressions must give the same tree, and the vendored list must be the bytes of the pinned packages.
/// </summary>
public sealed partial class LicenceExpressionPeerTests
{
    [Fact]
    public void Parse_GeneratedExpressions_GivesThePeersTree()
    {
        var expressions = Generate(new Random(2026), 400);

        var peer = JsonNode.Parse(NodePeer.Run("spdx-parse.mjs", JsonSerializer.Serialize(expressions), TimeSpan.FromSeconds(60)))!.AsArray();

        for (var i = 0; i < expressions.Count; i++)
        {
            var result = LicenceExpressionParser.Parse(expressions[i]);
            Assert.True(result.IsValid, $"{expressions[i]}: {string.Join("; ", result.Diagnostics)}");
            var ours = ToPeerTree(result.Expression!);
            Assert.True(JsonNode.DeepEquals(ours, peer[i]), $"{expressions[i]}: ours {ours.ToJsonString()}, peer {peer[i]!.ToJsonString()}");
        }
    }

    [Fact]
    public void Parse_MalformedExpressions_BothReject()
    {
        string[] expressions = ["MIT AND", "(MIT", "MIT)", "MIT +", "AND MIT", "MIT WITH MIT", "MIT OR OR Apache-2.0", "LicenseRef-", "MIT Apache-2.0", "Bison-exception-2.2"];

        var peer = JsonNode.Parse(NodePeer.Run("spdx-parse.mjs", JsonSerializer.Serialize(expressions), TimeSpan.FromSeconds(60)))!.AsArray();

        for (var i = 0; i < expressions.Length; i++)
        {
            Assert.False(LicenceExpressionParser.Parse(expressions[i]).IsValid, expressions[i]);
            Assert.NotNull(peer[i]!["error"]);
        }
    }

    [Theory]
    [InlineData("spdx-license-ids/index.json", "spdx-license-ids.json")]
    [InlineData("spdx-license-ids/deprecated.json", "spdx-license-ids-deprecated.json")]
    [InlineData("spdx-exceptions/index.json", "spdx-exceptions.json")]
    [InlineData("spdx-exceptions/deprecated.json", "spdx-exceptions-deprecated.json")]
    public void VendoredList_IsThePinnedPackagesData(string package, string vendored)
    {
        var root = RepositoryRoot.Find();
        var installed = Path.Combine(root, "tests", "node", "node_modules", package);
        Assert.True(File.Exists(installed), $"the npm peers are not installed: run `npm ci --prefix tests/node` ({installed})");

        Assert.Equal(File.ReadAllBytes(installed), File.ReadAllBytes(Path.Combine(root, "src", "Concordat", "Licences", "Data", vendored)));
    }

    private static List<string> Generate(Random random, int count)
    {
        var list = SpdxLicenceList.Default;

        // The peer reads `OR`, `AND` and `WITH` as operators wherever a word starts with them, so ids that do are left out.
        var licences = list.Licences.Where(id => !OperatorPrefix().IsMatch(id)).ToArray();
        var exceptions = list.Exceptions.ToArray();
        var expressions = new List<string>();
        while (expressions.Count < count)
        {
            expressions.Add(Expression(random, licences, exceptions, depth: 0));
        }

        return expressions;
    }

    private static string Expression(Random random, string[] licences, string[] exceptions, int depth)
    {
        var roll = random.Next(depth > 2 ? 4 : 10);
        if (roll < 4)
        {
            return Term(random, licences, exceptions);
        }

        var left = Expression(random, licences, exceptions, depth + 1);
        var right = Expression(random, licences, exceptions, depth + 1);
        var op = (roll % 2 == 0 ? "AND" : "OR") is var upper && random.Next(4) == 0 ? upper.ToLowerInvariant() : upper;
        var text = $"{left} {op} {right}";
        return random.Next(3) == 0 ? $"({text})" : text;
    }

    private static string Term(Random random, string[] licences, string[] exceptions)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            return $"LicenseRef-custom-{random.Next(100)}";
        }

        if (kind == 1)
        {
            return $"DocumentRef-sbom-{random.Next(10)}.spdx:LicenseRef-model-{random.Next(100)}";
        }

        var term = licences[random.Next(licences.Length)] + (random.Next(6) == 0 ? "+" : string.Empty);
        return random.Next(5) == 0 ? $"{term} {(random.Next(2) == 0 ? "WITH" : "with")} {exceptions[random.Next(exceptions.Length)]}" : term;
    }

    private static JsonObject ToPeerTree(LicenceExpression expression) => expression switch
    {
        LicenceTerm term => PeerTerm(term),
        LicenceAnd and => new JsonObject { ["left"] = ToPeerTree(and.Left), ["conjunction"] = "and", ["right"] = ToPeerTree(and.Right) },
        LicenceOr or => new JsonObject { ["left"] = ToPeerTree(or.Left), ["conjunction"] = "or", ["right"] = ToPeerTree(or.Right) },
        _ => throw new InvalidOperationException("unknown expression node"),
    };

    private static JsonObject PeerTerm(LicenceTerm term)
    {
        var node = new JsonObject { ["license"] = term.Id };
        if (term.OrLater)
        {
            node["plus"] = true;
        }

        if (term.Exception is not null)
        {
            node["exception"] = term.Exception;
        }

        return node;
    }

    [GeneratedRegex("^(and|or|with)", RegexOptions.IgnoreCase)]
    private static partial Regex OperatorPrefix();
}
