using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// The metrics export: the gateway's meter (<see cref="GatewayMetrics"/>) and ASP.NET Core's own, through
/// OpenTelemetry, scraped by Prometheus at <see cref="GatewayMetrics.ScrapePath"/>.
/// </summary>
/// <remarks>
/// The scrape endpoint decides nothing and reads no secret, so it is anonymous and not logged, like <c>/openapi</c>;
/// it is left out of the API description (it is Prometheus's text format, documented in docs/operations.md).
/// </remarks>
internal static class MetricsApi
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        // Why no scrape cache: every scrape answers the counts as they are; Prometheus scrapes every few seconds at most.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(GatewayMetrics.ScrapePath).ExcludeFromDescription();
        return app;
    }
}
