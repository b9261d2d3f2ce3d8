using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class IdentityRolesTests
{
    [Theory]
    [InlineData(IdentityRole.Ingestion, new DataAction[0])]
    [InlineData(IdentityRole.Training, new[] { DataAction.ReadRows, DataAction.DownloadSnapshot })]
    [InlineData(IdentityRole.Deployment, new[] { DataAction.AggregateQuery })]
    [InlineData(IdentityRole.Analysis, new[] { DataAction.ReadRows, DataAction.AggregateQuery })]
    public void ActionsOf_EachRole_IsTheDocumentedTable(IdentityRole role, DataAction[] expected)
    {
        var actions = IdentityRoles.ActionsOf(role);

        Assert.Equal(expected, actions);
    }

    [Fact]
    public void Allows_UndefinedRoleOrAction_IsFalse()
    {
        Assert.False(IdentityRoles.Allows((IdentityRole)4, DataAction.ReadRows));
        Assert.False(IdentityRoles.Allows((IdentityRole)(-1), DataAction.ReadRows));
        Assert.False(IdentityRoles.Allows(IdentityRole.Training, (DataAction)3));
    }

    [Fact]
    public void ToName_EveryRole_RoundTripsThroughTryParseRole()
    {
        foreach (var role in Enum.GetValues<IdentityRole>())
        {
            Assert.True(DecisionNames.TryParseRole(DecisionNames.ToName(role), out var parsed));
            Assert.Equal(role, parsed);
        }

        Assert.False(DecisionNames.TryParseRole("Training", out _));
        Assert.False(DecisionNames.TryParseRole("1", out _));
    }
}
