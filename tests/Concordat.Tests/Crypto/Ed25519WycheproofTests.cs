using System.Text.Json.Nodes;
using Concordat.Crypto;

namespace Concordat.Tests.Crypto;

/// <summary>
/// Every EdDSA verification case of Wycheproof (tests/vendor/wycheproof) gives the expected result: edge-case
/// encodings, malleated signatures (S not reduced), small-order points and truncated or padded signatures included.
/// </summary>
public sealed class Ed25519WycheproofTests
{
    private static readonly JsonObject s_vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vendor", "wycheproof", "ed25519_test.json")))!.AsObject();

    public static TheoryData<int> CaseIds()
    {
        var ids = new TheoryData<int>();
        foreach (var (_, test) in Cases())
        {
            ids.Add(test["tcId"]!.GetValue<int>());
        }

        return ids;
    }

    [Fact]
    public void Vectors_AreTheWholePublishedFile()
    {
        var count = Cases().Count();

        Assert.Equal("EDDSA", s_vectors["algorithm"]!.GetValue<string>());
        Assert.Equal(s_vectors["numberOfTests"]!.GetValue<int>(), count);
        Assert.Contains(Cases(), c => c.Test["result"]!.GetValue<string>() == "invalid");
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Verify_WycheproofCase_GivesTheExpectedResult(int id)
    {
        var (publicKey, test) = Cases().Single(c => c.Test["tcId"]!.GetValue<int>() == id);
        var expected = test["result"]!.GetValue<string>() == "valid";
        Assert.True(Ed25519PublicKey.TryCreate(Convert.FromHexString(publicKey), out var key));

        var verified = key!.Verify(Convert.FromHexString(test["msg"]!.GetValue<string>()), Convert.FromHexString(test["sig"]!.GetValue<string>()));

        Assert.True(expected == verified, $"case {id} ({test["comment"]}): expected {(expected ? "valid" : "invalid")}");
    }

    private static IEnumerable<(string PublicKey, JsonObject Test)> Cases() =>
        s_vectors["testGroups"]!.AsArray().SelectMany(group => group!["tests"]!.AsArray().Select(test => (group["publicKey"]!["pk"]!.GetValue<string>(), test!.AsObject())));
}
