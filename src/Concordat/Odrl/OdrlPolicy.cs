using System.Text.Json.Nodes;

namespace Concordat.Odrl;

/// <summary>
/// An agreement as an ODRL 2.2 policy in JSON-LD, and what ODRL could not express of it.
/// </summary>
/// <param name="Document">The policy: an <c>Agreement</c> with the ODRL context (docs/formats/odrl.md).</param>
/// <param name="NotExpressed">Each term of the agreement the policy leaves out or expresses only approximately, in a sentence naming its clause.</param>
public sealed record OdrlPolicy(JsonObject Document, IReadOnlyList<string> NotExpressed);
