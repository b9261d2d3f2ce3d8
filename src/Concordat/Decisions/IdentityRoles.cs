using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// What each identity role allows, whatever the agreement grants (least privilege).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>role</term><description>actions</description></listheader>
/// <item><term><see cref="IdentityRole.Ingestion"/></term><description>none: it imports, it never takes data out</description></item>
/// <item><term><see cref="IdentityRole.Training"/></term><description><c>read-rows</c>, <c>download-snapshot</c></description></item>
/// <item><term><see cref="IdentityRole.Deployment"/></term><description><c>aggregate-query</c></description></item>
/// <item><term><see cref="IdentityRole.Analysis"/></term><description><c>read-rows</c>, <c>aggregate-query</c></description></item>
/// </list>
/// Changing this table changes decisions: it is part of the engine's semantics (docs/design/decisions.md).
/// </remarks>
// CAUTION: persisted/public format (decisions are replayed against it); see docs/design/decisions.md
public static class IdentityRoles
{
    private const int BitsPerRole = 4;

    // Invariant: bit (BitsPerRole * role + action) is set when the role allows the action, so the decision's hot
    // path checks a role with one shift and one mask.
    private const int Allowed =
        (((1 << (int)DataAction.ReadRows) | (1 << (int)DataAction.DownloadSnapshot)) << (BitsPerRole * (int)IdentityRole.Training))
        | ((1 << (int)DataAction.AggregateQuery) << (BitsPerRole * (int)IdentityRole.Deployment))
        | (((1 << (int)DataAction.ReadRows) | (1 << (int)DataAction.AggregateQuery)) << (BitsPerRole * (int)IdentityRole.Analysis));

    /// <summary>Tells whether an identity with <paramref name="role"/> may take <paramref name="action"/>.</summary>
    /// <param name="role">The identity's role.</param>
    /// <param name="action">The action.</param>
    /// <returns><see langword="true"/> when the role allows the action; <see langword="false"/> for an undefined role or action.</returns>
    public static bool Allows(IdentityRole role, DataAction action) =>
        (uint)role <= (uint)IdentityRole.Analysis && (uint)action <= (uint)DataAction.DownloadSnapshot
        && ((Allowed >> ((BitsPerRole * (int)role) + (int)action)) & 1) != 0;

    /// <summary>Lists the actions <paramref name="role"/> allows, in the order of <see cref="DataAction"/>.</summary>
    /// <param name="role">The identity's role.</param>
    /// <returns>The actions.</returns>
    public static IReadOnlyList<DataAction> ActionsOf(IdentityRole role) => [.. Enum.GetValues<DataAction>().Where(a => Allows(role, a))];
}
