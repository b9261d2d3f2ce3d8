using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests;

public sealed class GatewayAppTests
{
    private static readonly string[] s_quietCategories = ["Microsoft.AspNetCore.", "Microsoft.Hosting.Lifetime"];

    [Fact]
    public async Task Build_DefaultLogging_KeepsConcordatInformationAndQuietsTheFrameworks()
    {
        await using var gateway = await TestGateway.StartAsync(captureAllLogs: false);

        await gateway.InstallSampleAsync("hospital-research");
        await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");

        var messages = gateway.Logs.Messages.Select(m => m.Split(' ', 3)).Where(m => m.Length == 3).ToList();
        Assert.Contains(messages, m => m[0] == "Information" && m[1].StartsWith("Concordat.Gateway.", StringComparison.Ordinal));
        var noisy = messages.Where(m => m[0] is "Trace" or "Debug" or "Information" && s_quietCategories.Any(c => m[1].StartsWith(c, StringComparison.Ordinal)));
        Assert.Empty(noisy.Select(m => string.Join(' ', m)));
    }
}
