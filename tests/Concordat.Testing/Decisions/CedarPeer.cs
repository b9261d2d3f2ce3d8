using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Decisions;
using Concordat.Testing.Peers;

namespace Concordat.Testing.Decisions;

/// <summary>
/// Asks Cedar itself (<c>@cedar-policy/cedar-wasm</c>, run by <c>tests/node/cedar-decide.mjs</c>) to decide requests
/// on translated agreements: each policy set parsed once, each request given only its own entities.
/// </summary>
public static class CedarPeer
{
    /// <summary>Decides every request of every set, in order.</summary>
    /// <exception cref="InvalidOperationException">Node or the packages are missing, or Cedar refused a policy set or a request.</exception>
    public static CedarBatch Decide(IReadOnlyList<(CedarTranslation Translation, IReadOnlyList<DecisionRequest> Requests)> sets, TimeSpan timeout)
    {
        var batch = new JsonArray();
        foreach (var (translation, requests) in sets)
        {
            var policies = new JsonObject();
            foreach (var (id, text) in translation.Policies)
            {
                policies[id] = text;
            }

            batch.Add(new JsonObject
            {
                ["policies"] = policies,
                ["entities"] = translation.Entities.DeepClone(),
                ["requests"] = new JsonArray([.. requests.Select(r => (JsonNode)translation.Request(r))]),
            });
        }

        var input = new JsonObject { ["sets"] = batch }.ToJsonString();
        var output = NodePeer.Run("cedar-decide.mjs", input, timeout);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var decisions = lines[..^1].Select(line =>
        {
            using var answer = JsonDocument.Parse(line);
            var root = answer.RootElement;
            return new CedarDecision(
                root.GetProperty("decision").GetString() == "allow",
                [.. root.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)],
                [.. root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]);
        }).ToList();
        using var summary = JsonDocument.Parse(lines[^1]);
        return new CedarBatch(decisions, summary.RootElement.GetProperty("parseMs").GetDouble(), summary.RootElement.GetProperty("decideMs").GetDouble());
    }
}
