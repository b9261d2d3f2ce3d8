using System.Net;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Recipients;

/// <summary>A token revocation stops the streams opened with the token in the process that revokes it (SQLite).</summary>
public sealed class LocalRevocationTests
{
    [Fact]
    public async Task RevokeToken_StreamUnderWay_StopsIt()
    {
        await using var gateway = await TestGateway.StartAsync(overrides: SlowSockets.SmallSendBuffer);
        await StalledStream.InstallAsync(gateway);
        var (bearer, tokenId) = await StalledStream.TokenAsync(gateway, gateway);
        using var stream = await StalledStream.OpenAsync(gateway, bearer);
        using var holder = gateway.Client("Bearer", bearer);

        using var revoke = await holder.DeleteAsync($"/v1/tokens/{tokenId}");
        var read = await Record.ExceptionAsync(stream.ReadToEndAsync);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.IsAssignableFrom<IOException>(read);
    }
}
