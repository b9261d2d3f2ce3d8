using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concordat.Data.Datasets;
using Concordat.Data.RecipientTables;
using Concordat.Gateway.Aggregates;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.DeltaSharing;
using Concordat.Gateway.Diligence;
using Concordat.Gateway.Erasure;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Incidents;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Lineage;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Retention;
using Concordat.Gateway.Security;
using Concordat.Gateway.Tokens;
using Concordat.Gateway.Transparency;
using Concordat.Gateway.Witness;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway;

/// <summary>
/// The gateway application, ready for the command line to host: <c>concordat serve</c> builds it and runs it.
/// </summary>
public static class GatewayApp
{
    private static readonly Dictionary<string, string?> s_quietFramework = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Builds the gateway for <paramref name="options"/>; the workspace is opened (and created) now.</summary>
    /// <param name="options">The options; the application uses this instance, validated when it starts.</param>
    /// <param name="store">Creates the store engine the host chose, from the application's services (its clock and
    /// logging); called once, when the store is first needed. The application disposes the engine when it is disposed.</param>
    /// <returns>The application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</returns>
    /// <exception cref="IOException">The workspace cannot be created or read.</exception>
    /// <exception cref="InvalidDataException">A key file, the detection settings (<c>detection.json</c>) or the witness settings (<c>witnesses.json</c>) of the workspace are malformed.</exception>
    public static WebApplication Build(GatewayOptions options, Func<IServiceProvider, IStoreEngine> store) => Build(options, store, null);

    internal static WebApplication Build(GatewayOptions options, Func<IServiceProvider, IStoreEngine> store, Action<IServiceCollection>? overrides)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        var workspace = GatewayWorkspace.OpenOrCreate(options.Workspace);
        // Why no reload: watching appsettings.json watches the workspace folder, where every log commit writes the
        // database; the watcher's thread then wakes on each write and took about 8% of the CPU under load.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = workspace.Directory,
        });

        // The framework's own information messages (every request, every endpoint, the host's lifetime, which the
        // command line reports itself) drown out Concordat's; as the first configuration source, any
        // Logging:LogLevel setting (appsettings.json in the workspace, environment variables) still overrides this.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_quietFramework });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            RequestShape.ConfigureLimits(kestrel.Limits);
        });

        builder.Services.AddSingleton(workspace);
        builder.Services.AddSingleton(DetectionSettings.Read(workspace.Directory));
        builder.Services.AddSingleton(WitnessSettings.Read(workspace.Directory));
        builder.Services.AddSingleton<IOptionsFactory<GatewayOptions>>(provider => ActivatorUtilities.CreateInstance<GivenOptionsFactory<GatewayOptions>>(provider, options));
        builder.Services.AddOptions<GatewayOptions>().ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IStoreEngine>(store);
        builder.Services.AddConcordatGateway();
        overrides?.Invoke(builder.Services);
        builder.Services.AddExceptionHandler<UnexpectedErrors>();
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemWriter>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.Converters.Add(new UtcTimeConverter());

            // Security: a member given twice means two things to two readers; refuse it (400) rather than take one.
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            // Invariant: the document does not depend on the hosting process (the default title is its assembly
            // name), so the copy checked in at docs/api/openapi.json matches what `concordat serve` serves.
            document.Info.Title = "Concordat gateway";
            document.Info.Version = "v1";
            return Task.CompletedTask;
        }).AddOperationTransformer((operation, _, _) =>
        {
            // Responses in status order, whatever order their group and endpoint declared them in.
            if (operation.Responses is { Count: > 1 } responses)
            {
                var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                responses.Clear();
                foreach (var (status, response) in ordered)
                {
                    responses.Add(status, response);
                }
            }

            return Task.CompletedTask;
        }).AddSchemaTransformer(OpenApiSchemas.TransformAsync));
        builder.Services.AddRecipientRateLimits();
        builder.Services.AddGatewayMetrics();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(FrameworkRefusals.WriteAsync);
        app.Use(RequestShape.CheckAsync);
        app.UseFullTileShortcut();
        app.UseRouting();
        app.UseMiddleware<CallerResolver>();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/v1.json");
        app.MapErrorsApi();
        app.MapTokensApi();
        app.MapDecisionsApi();
        app.MapDatasetsApi();
        app.MapErasureApi();
        app.MapAttestationsApi();
        app.MapModelsApi();
        app.MapLineageApi();
        app.MapAggregatesApi();
        app.MapRecipientsApi();
        app.MapAgreementsApi();
        app.MapLogApi();
        app.MapTilesApi();
        app.MapDeltaSharingApi();
        app.MapIncidentsApi();
        app.MapRetentionApi();
        app.MapDiligenceApi();
        app.MapDeltaSharingProfilesApi();
        app.MapStatusApi();
        app.MapGatewayMetrics();
        if (options.LogsStartLine)
        {
            app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, workspace, started));
        }

        return app;
    }

    /// <summary>Logs where the gateway listens and its start-up time, from <see cref="Build(GatewayOptions, Func{IServiceProvider, IStoreEngine})"/> to listening.</summary>
    private static void LogStarted(WebApplication app, GatewayWorkspace workspace, long started)
    {
        var milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayApp));
        if (logger.IsEnabled(LogLevel.Information))
        {
            var urls = string.Join(", ", app.Urls);
            var store = app.Services.GetRequiredService<IStoreEngine>().Name;
            LogMessages.Started(logger, urls, workspace.Directory, store, milliseconds);
        }
    }

    private static IServiceCollection AddConcordatGateway(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IRegistryStore>(provider => provider.GetRequiredService<IStoreEngine>().Registry);
        services.AddSingleton<AgreementChecker>();
        services.AddSingleton<PolicyState>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<StreamRegistry>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayJournal>();
        services.AddSingleton<RecipientSealer>();
        services.AddSingleton<DetectionSignal>();
        services.AddSingleton<IncidentBook>();
        services.AddSingleton<AlertRaiser>();
        services.AddSingleton<RetentionBook>();
        services.AddSingleton<ErasureBook>();
        services.AddSingleton<ErasureNotices>();
        services.AddSingleton<ErasureFeed>();
        services.AddSingleton<SubjectEraser>();
        services.AddSingleton(provider =>
        {
            var datasets = new DatasetStore(provider.GetRequiredService<GatewayWorkspace>().Directory, provider.GetRequiredService<TimeProvider>());
            datasets.RemoveAbandonedImports();
            return datasets;
        });
        services.AddSingleton<EgressPlanner>();
        services.AddSingleton<PrivacyBudgets>();
        services.AddSingleton<AggregateColumnsCache>();
        services.AddSingleton(provider => new RecipientTableStore(provider.GetRequiredService<GatewayWorkspace>().Directory, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeltaSharingFiles>();

        services.AddSingleton<LogHost>();
        services.AddSingleton<FullTileCache>();
        services.TryAddSingleton<IGatewayLog>(provider => provider.GetRequiredService<LogHost>());
        services.TryAddSingleton<ILogReader>(provider => provider.GetRequiredService<LogHost>());
        services.AddSingleton<AttestationStore>();
        services.AddSingleton<DiligenceBook>();
        services.AddSingleton<GatewayAttestor>();
        services.AddSingleton<LineageBook>();
        services.AddHostedService<GatewayInitializer>();

        // Invariant: after the initializer, which opens the log the backfill appends to and loads the agreements whose tags it states.
        services.AddHostedService<AttestationBackfill>();
        services.AddSingleton<IRevocationFeed>(provider => provider.GetRequiredService<IStoreEngine>().Revocations);
        services.AddHostedService<RevocationListener>();
        services.AddHostedService<DetectionService>();
        services.AddHostedService<RetentionWatch>();

        // One instance: the timer's and the requests' checks share its gate and its memory of the records alerted.
        services.AddSingleton<DiligenceWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<DiligenceWatch>());
        services.AddSingleton<PublishedCheckpoint>();

        // Invariant: after the initializer, which opens the log whose checkpoints it submits.
        services.AddHostedService<WitnessSubmitter>();
        return services;
    }
}
