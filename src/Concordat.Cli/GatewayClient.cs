using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli;

/// <summary>
/// The operator's client of a running gateway's administrative API: finds the gateway's address and the admin key
/// in the workspace, sends one request, and turns a problem details answer into one line for the user.
/// </summary>
/// <remarks>Security: the admin key (or a recipient's token) goes only into the Authorization header; it is never printed.</remarks>
internal sealed class GatewayClient : IDisposable
{
    /// <summary>The file in the workspace where <c>concordat serve</c> writes the address it listens on.</summary>
    public const string UrlFileName = "gateway.url";

    private readonly HttpClient _http;

    private GatewayClient(Uri baseAddress, string bearer)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }

    /// <summary>Opens a client for the gateway serving <paramref name="workspace"/>, or says why it cannot.</summary>
    public static GatewayClient? TryCreate(string workspace, string? url, out string? error)
    {
        var adminKey = GatewayWorkspace.ReadAdminKey(workspace);
        if (adminKey is null)
        {
            error = $"no admin key in workspace `{workspace}`: is it a gateway workspace?";
            return null;
        }

        var urlFile = Path.Combine(workspace, UrlFileName);
        url ??= File.Exists(urlFile) ? File.ReadAllText(urlFile).Trim() : null;
        if (url is null || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            error = $"no gateway address: start `concordat serve --workspace {workspace}` or pass --url";
            return null;
        }

        error = null;
        return new GatewayClient(baseAddress, adminKey);
    }

    /// <summary>Opens a client for the gateway at <paramref name="url"/> that sends <paramref name="bearer"/> (a recipient's token, or the admin key), or says why it cannot.</summary>
    public static GatewayClient? TryCreateForBearer(string url, string bearer, out string? error)
    {
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            error = $"`{url}` is not an http or https address";
            return null;
        }

        if (string.IsNullOrWhiteSpace(bearer))
        {
            error = "the token is empty";
            return null;
        }

        error = null;
        return new GatewayClient(baseAddress, bearer.Trim());
    }

    /// <summary>Runs <paramref name="action"/> with a client for the gateway serving <paramref name="workspace"/>, or reports why there is none.</summary>
    public static async Task<int> RunAsync(CliContext context, string workspace, string? url, Func<GatewayClient, Task<int>> action)
    {
        using var client = TryCreate(workspace, url, out var error);
        return client is null ? context.Fail(CliErrorCodes.GatewayUnreachable, error!) : await action(client).ConfigureAwait(false);
    }

    /// <summary>Sends a request; returns the status and the body as JSON (or null when empty or not JSON).</summary>
    public Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, null, cancellationToken);

    /// <summary>Sends a request with <paramref name="authorization"/> in place of the admin key (null: the admin key).</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, HttpContent? content, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? body = null;
        if (text.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                body = JsonValue.Create(text);
            }
        }

        return ((int)response.StatusCode, body);
    }

    /// <summary>Sends JSON.</summary>
    public Task<(int Status, JsonNode? Body)> SendJsonAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken) =>
        SendJsonAsync(method, path, body, null, cancellationToken);

    /// <summary>Sends JSON with <paramref name="authorization"/> in place of the admin key (null: the admin key).</summary>
    public Task<(int Status, JsonNode? Body)> SendJsonAsync(HttpMethod method, string path, object body, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken) =>
        SendAsync(method, path, new StringContent(JsonSerializer.Serialize(body, s_json), Encoding.UTF8, "application/json"), authorization, cancellationToken);

    /// <summary>Reports a failed answer as one CLI error line, with the problem's code; returns the exit code.</summary>
    public static int Fail(CliContext context, int status, JsonNode? body)
    {
        var detail = body?["detail"]?.GetValue<string>() ?? body?["title"]?.GetValue<string>() ?? $"the gateway answered {status}";
        var help = body?["diagnostics"] is JsonArray diagnostics && diagnostics.Count > 0 ? string.Join("; ", diagnostics.Select(d => d?.ToString())) : null;
        if (body?["code"]?.GetValue<string>() is not { } code)
        {
            return context.Fail(CliErrorCodes.ProblemWithoutCode, detail, help);
        }

        // The gateway's code is passed on as it came: its words are at the problem's `type`.
        context.WriteDiagnostics([new Diagnostic(code, DiagnosticSeverity.Error, detail, null, help)]);
        return status is 403 ? ExitCodes.Denied : status is 400 or 413 or 415 or 422 ? ExitCodes.Invalid : ExitCodes.Error;
    }

    public void Dispose() => _http.Dispose();

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
}
