using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Concordat.Store;
using Concordat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// A gateway on Kestrel on 127.0.0.1, port 0, with a fresh workspace, a fake clock and captured logs; an operator
/// client; helpers to sign and upload the sample agreements, import rows, create identities and get tokens.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, NoteSignerKey> _signers = [];
    private readonly bool _ownsWorkspace;

    private TestGateway(WebApplication app, string workspace, bool ownsWorkspace, FakeTimeProvider clock, CapturingLoggerProvider logs)
    {
        _app = app;
        _ownsWorkspace = ownsWorkspace;
        Workspace = workspace;
        Clock = clock;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.First());
        Operator = Client("Bearer", GatewayWorkspace.ReadAdminKey(workspace)!);
        Anonymous = new HttpClient { BaseAddress = BaseAddress };
    }

    public string Workspace { get; }

    public FakeTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public Uri BaseAddress { get; }

    public HttpClient Operator { get; }

    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway.</summary>
    /// <param name="postgres">A PostgreSQL connection string, or null for the workspace's SQLite store.</param>
    /// <param name="overrides">Service registrations that replace the gateway's own.</param>
    /// <param name="maxRequestBodyBytes">The greatest body of an ordinary request.</param>
    /// <param name="captureAllLogs">Whether every category is captured at every level (for the no-secrets check), rather than as the gateway's logging configuration filters them.</param>
    /// <param name="workspace">Another gateway's workspace to share, as replicas do (it stays when this gateway stops); null for a fresh one.</param>
    public static async Task<TestGateway> StartAsync(string? postgres = null, Action<IServiceCollection>? overrides = null, long maxRequestBodyBytes = GatewayOptions.DefaultMaxRequestBodyBytes, bool captureAllLogs = true, string? workspace = null)
    {
        var ownsWorkspace = workspace is null;
        workspace ??= Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var clock = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        var options = new GatewayOptions { Workspace = workspace, Urls = "http://127.0.0.1:0", MaxRequestBodyBytes = maxRequestBodyBytes };
        var app = GatewayApp.Build(options, services => CreateStore(workspace, postgres, services), services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddLogging(logging =>
            {
                logging.ClearProviders().AddProvider(logs);
                if (captureAllLogs)
                {
                    logging.SetMinimumLevel(LogLevel.Trace).Services.Configure<LoggerFilterOptions>(filters => filters.Rules.Clear());
                }
            });
            overrides?.Invoke(services);
        });
        await app.StartAsync();
        return new TestGateway(app, workspace, ownsWorkspace, clock, logs);
    }

    /// <summary>The test gateways' choice of engine, as <c>concordat serve</c> makes it from <c>--store</c>.</summary>
    private static IStoreEngine CreateStore(string workspace, string? postgres, IServiceProvider services) => postgres is null
        ? new SqliteStoreEngine(workspace)
        : new PostgresStoreEngine(postgres, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>());

    public HttpClient Client(string scheme, string credential)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, credential);
        return client;
    }

    public HttpClient ClientFor(string clientId, string secret) => Client("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));

    public static Agreement ReadSample(string name)
    {
        var result = AgreementReader.Read(File.ReadAllText(SamplePath(name)), name);
        return result.Agreement ?? throw new InvalidOperationException(string.Join("; ", result.Diagnostics));
    }

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "agreements", name + ".yaml");

    /// <summary>Signs <paramref name="yaml"/> with a key per required signer, pins those keys and returns the signature file.</summary>
    public string Sign(string yaml)
    {
        var agreement = AgreementReader.Read(yaml, "agreement.yaml").Agreement ?? throw new InvalidOperationException("the agreement does not read");
        var signatures = new List<AgreementSignature>();
        foreach (var (signer, _, _) in AgreementSigner.RequiredSigners(agreement))
        {
            if (!_signers.TryGetValue(signer.Value, out var key))
            {
                var privateKey = Ed25519PrivateKey.Generate();
                key = new NoteSignerKey(signer.Value, NoteKey.ComputeKeyId(signer.Value, privateKey.PublicKey), privateKey);
                _signers[signer.Value] = key;
                File.AppendAllText(Path.Combine(Workspace, GatewayWorkspace.TrustedKeysFileName), $"{signer} {NoteKey.FormatVerifierKey(signer.Value, key.PrivateKey.PublicKey)}\n");
            }

            signatures.Add(AgreementSigner.Sign(agreement, signer, key));
        }

        return SignatureFile.Write(signatures);
    }

    /// <summary>The signing key <see cref="Sign"/> made and pinned for <paramref name="party"/>: the party's registered key.</summary>
    public NoteSignerKey SignerKey(string party) => _signers[party];

    /// <summary>Writes the termination record of <paramref name="yaml"/>, signed by <paramref name="party"/> with the key <see cref="Sign"/> pinned for it.</summary>
    public string Terminate(string yaml, string party, DateTimeOffset effectiveAt)
    {
        var agreement = AgreementReader.Read(yaml, "agreement.yaml").Agreement ?? throw new InvalidOperationException("the agreement does not read");
        return TerminationFile.Write(TerminationFile.Create(agreement, effectiveAt, new SignerId(party), _signers[party]));
    }

    public Task<HttpResponseMessage> UploadTerminationAsync(string agreement, string termination) =>
        Operator.PostAsJsonAsync($"/v1/agreements/{agreement}/terminations", new { termination });

    public Task<HttpResponseMessage> UploadAsync(string yaml, string? signatures) =>
        Operator.PostAsJsonAsync("/v1/agreements", new { document = yaml, signatures });

    /// <summary>Signs and uploads a sample agreement, then imports 20 rows into each of its datasets.</summary>
    public Task<Agreement> InstallSampleAsync(string name, string residency = "DE") => InstallAsync(File.ReadAllText(SamplePath(name)), residency);

    /// <summary>Signs and uploads <paramref name="yaml"/>, then imports 20 rows into each of its datasets.</summary>
    public async Task<Agreement> InstallAsync(string yaml, string residency = "DE")
    {
        var response = await UploadAsync(yaml, Sign(yaml));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var agreement = AgreementReader.Read(yaml, "agreement.yaml").Agreement!;
        foreach (var dataset in agreement.Datasets)
        {
            var consent = string.Join(';', agreement.Purposes.Select(p => p.Id.Value));
            var import = await ImportAsync(dataset.Id.Value, SampleRows.Csv(dataset, 20, consent, residency));
            Assert.Equal(System.Net.HttpStatusCode.Created, import.StatusCode);
        }

        return agreement;
    }

    public Task<HttpResponseMessage> ImportAsync(string dataset, string csv) =>
        Operator.PostAsync($"/v1/datasets/{dataset}/versions", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public async Task<(string ClientId, string Secret)> CreateIdentityAsync(string recipient, string role)
    {
        var response = await Operator.PostAsJsonAsync($"/v1/recipients/{recipient}/identities", new { role });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["clientId"]!.GetValue<string>(), body["clientSecret"]!.GetValue<string>());
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string dataset, string purpose, string jurisdiction, string? action = null, int? lifetimeSeconds = null, string? subprocessor = null) =>
        client.PostAsJsonAsync("/v1/tokens", new { dataset, purpose, jurisdiction, action, lifetimeSeconds, subprocessor });

    /// <summary>Reads every log entry's type and body, in order.</summary>
    public async Task<List<JsonObject>> LogEntriesAsync()
    {
        var entries = new List<JsonObject>();
        long cursor = 0;
        while (true)
        {
            var page = (await Anonymous.GetFromJsonAsync<JsonObject>($"/v1/log/entries?cursor={cursor}&limit=1000"))!;
            var items = page["entries"]!.AsArray();
            entries.AddRange(items.Select(e => e!.AsObject()));
            var next = page["nextCursor"]!.GetValue<long>();
            if (items.Count == 0 || next == cursor)
            {
                return entries;
            }

            cursor = next;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsWorkspace)
        {
            return;
        }

        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner; the outcome of the test does not depend on it.
        }
    }
}
