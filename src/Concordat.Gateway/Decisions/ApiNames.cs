using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// The names the HTTP API gives actions (<c>readRows</c>, camelCase like the rest of its JSON) and reads roles by.
/// </summary>
/// <remarks>Decision records name actions as the library does (<c>read-rows</c>, <see cref="DecisionNames"/>).</remarks>
internal static class ApiNames
{
    private static readonly string[] s_actions = ["readRows", "aggregateQuery", "downloadSnapshot"];

    /// <summary>The API's name of an action: <c>readRows</c>.</summary>
    public static string Name(DataAction action) => s_actions[(int)action];

    /// <summary>Parses the API's name of an action, in any case; nothing else (no numbers, no lists).</summary>
    public static bool TryParseAction(string? text, out DataAction action)
    {
        var index = Array.FindIndex(s_actions, a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        action = (DataAction)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses a role name (<c>training</c>), in any case; nothing else (no numbers, no lists).</summary>
    public static bool TryParseRole(string? text, out IdentityRole role) =>
        DecisionNames.TryParseRole(text?.ToLowerInvariant(), out role);
}
