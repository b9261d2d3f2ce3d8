using Concordat.Agreements;
using Concordat.Registry;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// What each identity role may do, whatever the agreement grants (least privilege), and the wire names.
/// </summary>
internal static class Roles
{
    /// <summary>Tells whether an identity with <paramref name="role"/> may take <paramref name="action"/>.</summary>
    public static bool Allows(IdentityRole role, DataAction action) => role switch
    {
        IdentityRole.Training => action is DataAction.ReadRows or DataAction.DownloadSnapshot,
        IdentityRole.Analysis => action is DataAction.ReadRows or DataAction.AggregateQuery,
        IdentityRole.Deployment => action is DataAction.AggregateQuery,
        _ => false,
    };

    /// <summary>The actions <paramref name="role"/> may take.</summary>
    public static IReadOnlyList<DataAction> ActionsOf(IdentityRole role) => Enum.GetValues<DataAction>().Where(a => Allows(role, a)).ToList();

    /// <summary>The wire name of a role: <c>training</c>.</summary>
    public static string Name(IdentityRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The wire name of an action: <c>readRows</c>.</summary>
    public static string Name(DataAction action) => action switch
    {
        DataAction.ReadRows => "readRows",
        DataAction.AggregateQuery => "aggregateQuery",
        _ => "downloadSnapshot",
    };

    /// <summary>Parses a wire name of a role.</summary>
    public static bool TryParseRole(string? text, out IdentityRole role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(text, out _);

    /// <summary>Parses a wire name of an action.</summary>
    public static bool TryParseAction(string? text, out DataAction action) =>
        Enum.TryParse(text, ignoreCase: true, out action) && Enum.IsDefined(action) && !int.TryParse(text, out _);
}
