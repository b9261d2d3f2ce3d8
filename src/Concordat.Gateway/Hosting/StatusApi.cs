using System.Reflection;
using Concordat.Agreements;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Gateway.Transparency;
using Concordat.Store.Registry;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// <c>GET /</c> (what this server is, and where to go next), <c>GET /healthz</c> (the process answers) and
/// <c>GET /readyz</c> (the store and the log answer). None of them decides anything, so none is logged.
/// </summary>
internal static class StatusApi
{
    private static readonly string s_version =
        typeof(StatusApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    // Invariant: a point read of a party that cannot exist (ids never start with `-`) touches the registry's tables
    // without depending on their contents.
    private static readonly PartyId s_probe = new("-readyz-probe");

    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup(string.Empty, "Status");
        group.MapGet("/", Describe).WithName("DescribeGateway").WithSummary("The gateway's name and version, with links to its API description, health and log");
        group.MapGet("/healthz", () => TypedResults.Text("ok\n")).Produces<string>(Status200OK, "text/plain").WithName("CheckHealth").WithSummary("Answers while the process runs (liveness)");
        group.MapGet("/readyz", CheckReadyAsync).WithName("CheckReadiness").WithSummary("Answers 200 when the registry and the log answer a read (readiness)")
            .ProducesProblems(Status503ServiceUnavailable);
        return app;
    }

    internal static Ok<GatewayDescription> Describe() => TypedResults.Ok(new GatewayDescription(
        "Concordat gateway",
        s_version,
        new Dictionary<string, string>
        {
            ["openapi"] = "/openapi/v1.json",
            ["health"] = "/healthz",
            ["readiness"] = "/readyz",
            ["metrics"] = GatewayMetrics.ScrapePath,
            ["checkpoint"] = "/v1/log/checkpoint",
            ["entries"] = "/v1/log/entries",
        }));

    internal static async Task<Results<Ok<Readiness>, ProblemHttpResult>> CheckReadyAsync(IRegistryStore store, ILogReader log, HttpContext context)
    {
        try
        {
            await store.FindSealAsync(s_probe, context.RequestAborted).ConfigureAwait(false);
            var checkpoint = await log.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Ok(new Readiness("ready", checkpoint.TreeSize));
        }
#pragma warning disable CA1031 // Security: readiness fails closed on any failure of a dependency; the gateway references no database driver, so it cannot name the driver's exception types.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // Security: the problem names which dependency failed, never the exception's text (it may hold a connection string).
            return Problem.Of(ProblemCode.Unavailable, "the registry or the transparency log does not answer: see the gateway's own log");
        }
    }

    /// <summary>What <c>GET /</c> answers.</summary>
    /// <param name="Name">The product.</param>
    /// <param name="Version">The gateway's version.</param>
    /// <param name="Links">Where to go next, by name.</param>
    internal sealed record GatewayDescription(string Name, string Version, IReadOnlyDictionary<string, string> Links);

    /// <summary>What <c>GET /readyz</c> answers when ready.</summary>
    /// <param name="Status">Always <c>ready</c>.</param>
    /// <param name="TreeSize">The log's tree size at the check.</param>
    internal sealed record Readiness(string Status, long TreeSize);
}
