using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Recipients;

/// <summary>
/// An egress stream that stays under way until the gateway stops it: the gateway MUST be started with
/// <see cref="SlowSockets.SmallSendBuffer"/>, the dataset is far larger than what the sockets can then buffer, and
/// the client reads nothing after the headers. Whatever stops the stream, the client sees it end abruptly when it
/// reads on.
/// </summary>
internal sealed class StalledStream : IDisposable
{
    public const string Recipient = "northwind-research";
    public const string Dataset = "cardiology-records";

    // Invariant: far more bytes than the small socket buffers and Kestrel's response buffer hold, so the stream
    // cannot finish before the client reads.
    private const int Rows = 20_000;

    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;

    private StalledStream(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
    }

    /// <summary>Installs the hospital sample and imports a large version of its dataset.</summary>
    public static async Task InstallAsync(TestGateway gateway)
    {
        var agreement = await gateway.InstallSampleAsync("hospital-research");
        var dataset = agreement.Datasets.Single(d => d.Id.Value == Dataset);
        var consent = string.Join(';', agreement.Purposes.Select(p => p.Id.Value));
        using var import = await gateway.ImportAsync(Dataset, SampleRows.Csv(dataset, Rows, consent, "DE"));
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
    }

    /// <summary>Gets a token for a new identity of the recipient, through <paramref name="gateway"/>.</summary>
    public static async Task<(string Bearer, string TokenId)> TokenAsync(TestGateway gateway, TestGateway identityIssuer)
    {
        var (clientId, secret) = await identityIssuer.CreateIdentityAsync(Recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, Dataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (token["token"]!.GetValue<string>(), token["tokenId"]!.GetValue<string>());
    }

    /// <summary>Starts reading rows from <paramref name="gateway"/> and returns once the stream is under way.</summary>
    public static async Task<StalledStream> OpenAsync(TestGateway gateway, string bearer)
    {
        var client = new HttpClient(SlowSockets.SmallReceiveBufferHandler()) { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{Dataset}/rows");
        request.Headers.Accept.ParseAdd("text/csv");

        // The headers are sent with the first rows, after the stream is registered: it is under way from here on.
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new StalledStream(client, response);
    }

    /// <summary>Reads the rest of the stream; throws when the gateway ended it abruptly.</summary>
    public async Task ReadToEndAsync()
    {
        // Invariant: a stream nobody stops fails the test by completing, never by hanging.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var body = await _response.Content.ReadAsStreamAsync(timeout.Token);
        await body.CopyToAsync(Stream.Null, timeout.Token);
    }

    public void Dispose()
    {
        _response.Dispose();
        _client.Dispose();
    }
}
