using System.Net;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Transparency;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Tiles;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Transparency;

/// <summary>The log as C2SP tlog-tiles over HTTP: what any tlog-tiles client reads, checked by the tile verifier.</summary>
public sealed class TileScenarios : GatewayScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Tiles_WholeLog_VerifiesAgainstTheSignedCheckpoint()
    {
        await using var gateway = await StartAsync();
        await AppendAsync(gateway, 300);
        var checkpoint = await ReadCheckpointAsync(gateway);

        var result = await TileVerifier.VerifyAsync(new HttpTiles(gateway.Anonymous), new TileCheck(checkpoint.TreeSize, checkpoint.RootHash) { IsFull = true }, default);

        Assert.True(checkpoint.TreeSize >= 300);
        Assert.True(result.IsValid, result.Problem?.Message);
        Assert.Equal(checkpoint.TreeSize, result.EntriesChecked);
    }

    [Fact]
    public async Task Tiles_CacheHeaders_FullTilesImmutablePartialShortCheckpointUncached()
    {
        await using var gateway = await StartAsync();
        await AppendAsync(gateway, 300);
        var size = (await ReadCheckpointAsync(gateway)).TreeSize;

        using var full = await gateway.Anonymous.GetAsync("/tlog/tile/0/000");
        using var bundle = await gateway.Anonymous.GetAsync("/tlog/tile/entries/000");
        using var partial = await gateway.Anonymous.GetAsync($"/tlog/tile/0/001.p/{size - 256}");
        using var checkpoint = await gateway.Anonymous.GetAsync("/tlog/checkpoint");

        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(8192, (await full.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("application/octet-stream", full.Content.Headers.ContentType?.MediaType);
        Assert.True(full.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 });
        Assert.Contains("immutable", full.Headers.CacheControl.ToString(), StringComparison.Ordinal);
        Assert.True(bundle.Headers.CacheControl is { MaxAge.TotalDays: >= 365 });
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.True(partial.Headers.CacheControl is { MaxAge.TotalSeconds: <= 60 });
        Assert.True(checkpoint.Headers.CacheControl is { NoCache: true });
        Assert.Equal("text/plain", checkpoint.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Tiles_StoredHashChangedUnderneath_ServedTreeNoLongerVerifies()
    {
        GatedLogStorage? store = null;
        var seam = new LogHostSeam(new TransparencyLogOptions(), storage => store = new GatedLogStorage(storage));
        await using var gateway = await StartAsync(overrides: services => services.AddSingleton(seam));
        await AppendAsync(gateway, 300);
        var checkpoint = await ReadCheckpointAsync(gateway);

        store!.Damage(new MerkleNodeId(0, 3));
        var result = await TileVerifier.VerifyAsync(new HttpTiles(gateway.Anonymous), new TileCheck(checkpoint.TreeSize, checkpoint.RootHash) { IsFull = true }, default);

        Assert.Equal(LogErrorCodes.TilesNotSigned, result.Problem?.Error);
        Assert.Equal(0, result.Problem!.EntryIndex);
    }

    [Theory]
    [InlineData("/tlog/tile/0/1")]
    [InlineData("/tlog/tile/0/x000/000")]
    [InlineData("/tlog/tile/0/000.p/256")]
    [InlineData("/tlog/tile/0/005")]
    [InlineData("/tlog/tile/1/000")]
    [InlineData("/tlog/tile/entries/000.p/255")]
    [InlineData("/tlog/tile/64/000")]
    public async Task Tiles_NotATileOfTheSignedTree_Is404WithItsCode(string path)
    {
        await using var gateway = await StartAsync();
        await AppendAsync(gateway, 10);

        using var response = await gateway.Anonymous.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "GW6700");
    }

    [Fact]
    public async Task Tiles_FullTiles_AreExemptFromTheAnonymousRateLimitAndPartialOnesAreNot()
    {
        await using var gateway = await StartAsync(overrides: services => services.Configure<GatewayOptions>(o => o.AnonymousRequestsPerSecond = 1));
        await AppendAsync(gateway, 260);
        await gateway.Anonymous.GetAsync("/tlog/checkpoint");

        var full = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Anonymous.GetAsync("/tlog/tile/0/000");
            full.Add(response.StatusCode);
        }

        var partial = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Anonymous.GetAsync("/tlog/tile/0/001.p/1");
            partial.Add(response.StatusCode);
        }

        Assert.All(full, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Contains(HttpStatusCode.TooManyRequests, partial);
    }

    [Fact]
    public async Task Tiles_FullTileAgain_AnsweredFromTheCacheAsTheEndpointAnsweredIt()
    {
        await using var gateway = await StartAsync();
        await AppendAsync(gateway, 300);
        var size = (await ReadCheckpointAsync(gateway)).TreeSize;
        var cache = gateway.Services.GetRequiredService<FullTileCache>();

        using var first = await gateway.Anonymous.GetAsync("/tlog/tile/0/000");
        using var partial = await gateway.Anonymous.GetAsync($"/tlog/tile/0/001.p/{size - 256}");
        var cached = cache.Bytes;
        using var again = await gateway.Anonymous.GetAsync("/tlog/tile/0/000");
        using var head = await gateway.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/tlog/tile/0/000"));

        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal(8192, cached);
        Assert.True(cache.TryGet("/tlog/tile/0/000", out _));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        foreach (var response in new[] { again, head })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(first.Content.Headers.ContentType, response.Content.Headers.ContentType);
            Assert.Equal(8192, response.Content.Headers.ContentLength);
            Assert.Equal(first.Headers.CacheControl, response.Headers.CacheControl);
        }

        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Tiles_CachedFullTileWithAnUnknownToken_IsRefusedNotServed()
    {
        await using var gateway = await StartAsync();
        await AppendAsync(gateway, 260);
        using var served = await gateway.Anonymous.GetAsync("/tlog/tile/0/000");
        using var stranger = gateway.Client("Bearer", "cdt_not-a-token");

        using var response = await stranger.GetAsync("/tlog/tile/0/000");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6001");
    }

    private static async Task AppendAsync(TestGateway gateway, int count)
    {
        var log = gateway.Services.GetRequiredService<IGatewayLog>();
        var appends = Enumerable.Range(0, count).Select(i => log.AppendAsync(new UnsealEntry(gateway.Clock.GetUtcNow(), HospitalRecipient, $"test {i}"), default));
        foreach (var result in await Task.WhenAll(appends))
        {
            Assert.False(result.IsPushback);
        }
    }

    private static async Task<Checkpoint> ReadCheckpointAsync(TestGateway gateway)
    {
        var note = await gateway.Anonymous.GetByteArrayAsync("/tlog/checkpoint");
        var publicKey = File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.LogPublicKeyFileName)).Trim();
        Assert.True(NoteKey.TryParseVerifierKey(publicKey, out var verifierKey, out _));
        Assert.True(Checkpoint.TryOpen(note, [NoteVerifier.ForEd25519(verifierKey)], out var checkpoint, out var verification), verification.Reason);
        return checkpoint;
    }

    private sealed class HttpTiles(HttpClient client) : ITileSource
    {
        public async Task<byte[]> ReadCheckpointAsync(CancellationToken cancellationToken) =>
            await client.GetByteArrayAsync(new Uri("/tlog/checkpoint", UriKind.Relative), cancellationToken);

        public async Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken)
        {
            using var response = await client.GetAsync(new Uri("/tlog/" + tile.ToPath(), UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync(cancellationToken);
        }
    }
}
