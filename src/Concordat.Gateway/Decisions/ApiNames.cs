using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// The names the HTTP API gives actions and reads roles by: an action is named as agreements and decision records
/// name it (<c>read-rows</c>, <see cref="DecisionNames"/>), everywhere the gateway writes one.
/// </summary>
/// <remarks>
/// The camelCase names the API first took (<c>readRows</c>) are still read, and deprecated (docs/api.md); nothing
/// the gateway writes uses them any more.
/// </remarks>
internal static class ApiNames
{
    /// <summary>The problem detail of an action that is not one.</summary>
    public const string InvalidAction = "action, when given, must be `read-rows`, `aggregate-query` or `download-snapshot`";

    private static readonly string[] s_deprecatedActions = ["readRows", "aggregateQuery", "downloadSnapshot"];

    /// <summary>The name of an action, as agreements, decision records and gateway entries write it: <c>read-rows</c>.</summary>
    public static string Name(DataAction action) => DecisionNames.ToName(action);

    /// <summary>
    /// Parses the name of an action (<c>read-rows</c>), or its deprecated camelCase name (<c>readRows</c>), in any case;
    /// nothing else (no numbers, no lists).
    /// </summary>
    public static bool TryParseAction(string? text, out DataAction action)
    {
        if (DecisionNames.TryParseAction(text?.ToLowerInvariant(), out action))
        {
            return true;
        }

        var index = Array.FindIndex(s_deprecatedActions, a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        action = (DataAction)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses a role name (<c>training</c>), in any case; nothing else (no numbers, no lists).</summary>
    public static bool TryParseRole(string? text, out IdentityRole role) =>
        DecisionNames.TryParseRole(text?.ToLowerInvariant(), out role);
}
