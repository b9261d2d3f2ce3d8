using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Decisions;

namespace Concordat.Gateway.Tests.Decisions;

public sealed class ApiNamesTests
{
    [Theory]
    [InlineData("read-rows", DataAction.ReadRows)]
    [InlineData("AGGREGATE-QUERY", DataAction.AggregateQuery)]
    [InlineData("download-snapshot", DataAction.DownloadSnapshot)]
    public void TryParseAction_AgreementName_InAnyCase_IsTheAction(string text, DataAction expected)
    {
        Assert.True(ApiNames.TryParseAction(text, out var action));

        Assert.Equal(expected, action);
        Assert.Equal(text, ApiNames.Name(action), ignoreCase: true);
    }

    [Theory]
    [InlineData("readRows", DataAction.ReadRows)]
    [InlineData("AGGREGATEQUERY", DataAction.AggregateQuery)]
    [InlineData("downloadSnapshot", DataAction.DownloadSnapshot)]
    public void TryParseAction_DeprecatedCamelCaseName_IsTheActionNamedInKebabCase(string text, DataAction expected)
    {
        Assert.True(ApiNames.TryParseAction(text, out var action));

        Assert.Equal(expected, action);
        Assert.Equal(DecisionNames.ToName(expected), ApiNames.Name(action));
    }

    [Theory]
    [InlineData("read-rows,aggregate-query")]
    [InlineData("1")]
    [InlineData(" read-rows")]
    [InlineData("read_rows")]
    [InlineData("readrows ")]
    [InlineData(null)]
    public void TryParseAction_NotOneActionName_IsFalse(string? text)
    {
        Assert.False(ApiNames.TryParseAction(text, out _));
    }

    [Theory]
    [InlineData("training", IdentityRole.Training)]
    [InlineData("Analysis", IdentityRole.Analysis)]
    public void TryParseRole_RoleName_InAnyCase_IsTheRole(string text, IdentityRole expected)
    {
        Assert.True(ApiNames.TryParseRole(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("training,deployment")]
    [InlineData("3")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseRole_NotOneRoleName_IsFalse(string? text)
    {
        Assert.False(ApiNames.TryParseRole(text, out _));
    }
}
