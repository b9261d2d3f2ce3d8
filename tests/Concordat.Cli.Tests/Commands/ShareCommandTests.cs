using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

/// <summary><c>concordat share profile</c> against a real gateway: the file it writes, its mode, and a connector's calls with it.</summary>
public sealed class ShareCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-share-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    // One gateway for the three cases: quickstart takes seconds.
    [Fact]
    public async Task Profile_Version2_WritesAnOwnerOnlyFileTheConnectorReadsWithNeverOverwritesItAndWritesNoneOnError()
    {
        var path = Path.Combine(_workspace, "northwind.share");
        var nobody = Path.Combine(_workspace, "nobody.share");

        var served = await QuickstartServer.RunAsync(_workspace, async () =>
        {
            var written = await CliRunner.RunAsync("share", "profile", "--recipient", "northwind-research", "--purpose", "research", "--jurisdiction", "DE", "--out", path, "--workspace", _workspace, "--json");
            var again = await CliRunner.RunAsync("share", "profile", "--recipient", "northwind-research", "--purpose", "research", "--jurisdiction", "DE", "--out", path, "--workspace", _workspace);
            var unknown = await CliRunner.RunAsync("share", "profile", "--recipient", "nobody", "--purpose", "research", "--jurisdiction", "DE", "--out", nobody, "--workspace", _workspace);
            var profile = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
            var shares = await ListSharesAsync(profile);

            Assert.True(written.ExitCode == ExitCodes.Ok, written.Error);
            Assert.DoesNotContain(profile["clientSecret"]!.GetValue<string>(), written.Out, StringComparison.Ordinal);
            Assert.Equal(profile["clientId"]!.GetValue<string>(), JsonNode.Parse(written.Out)!["clientId"]!.GetValue<string>());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(2, profile["shareCredentialsVersion"]!.GetValue<int>());
            Assert.Equal("purpose:research jurisdiction:DE", profile["scope"]!.GetValue<string>());
            Assert.Contains(shares, s => s!["name"]!.GetValue<string>() == "hospital-research");
            Assert.Equal(ExitCodes.Error, again.ExitCode);
            Assert.StartsWith("error CLI1800", again.Error, StringComparison.Ordinal);
            Assert.NotEqual(ExitCodes.Ok, unknown.ExitCode);
            Assert.StartsWith("error GW", unknown.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(nobody));
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
    }

    // As a connector does with a version 2 profile: client credentials at the token endpoint, then the bearer token.
    private static async Task<JsonArray> ListSharesAsync(JsonNode profile)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, profile["tokenEndpoint"]!.GetValue<string>())
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", profile["scope"]!.GetValue<string>())]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{profile["clientId"]}:{profile["clientSecret"]}")));
        using var token = await http.SendAsync(request);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        using var shares = new HttpRequestMessage(HttpMethod.Get, profile["endpoint"]!.GetValue<string>() + "shares");
        shares.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(shares);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
    }
}
