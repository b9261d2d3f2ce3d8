using System.Globalization;
using System.Threading.RateLimiting;
using Concordat.Gateway.Agreements;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Security;

/// <summary>
/// Rate limits per recipient, as the agreements in force set them: one fixed-window limiter per recipient, so one
/// recipient's burst never slows another; 429 with Retry-After when the window is spent, logged in aggregate
/// (<see cref="RateLimitRefusals"/>).
/// </summary>
internal static class RateLimits
{
    /// <summary>The policy name recipient-facing endpoints use.</summary>
    public const string RecipientPolicy = "recipient";

    /// <summary>The policy name of report intake: a window per source, whether or not it is a recipient.</summary>
    public const string ReportsPolicy = "reports";

    public static IServiceCollection AddRecipientRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddPolicy(RecipientPolicy, Partition);
        options.AddPolicy(ReportsPolicy, ReportsPartition);
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : TimeSpan.FromSeconds(1);
            var seconds = context.HttpContext.Items[typeof(RateLimitWindows)] is (string key, TimeSpan window)
                ? context.HttpContext.RequestServices.GetRequiredService<RateLimitWindows>().SecondsLeft(key, window, retryAfter)
                : Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var refusals = context.HttpContext.RequestServices.GetRequiredService<RateLimitRefusals>();
            var whose = context.HttpContext.Items.ContainsKey(ReportsPolicy) ? "the report limit of this source"
                : context.HttpContext.Caller().Recipient is null ? "the limit shared by callers that are not a recipient" : "the agreement's rate limit for this recipient";
            var problem = await refusals.RefuseAsync(context.HttpContext, $"{whose} is spent: retry after {seconds} s").ConfigureAwait(false);
            await problem.ExecuteAsync(context.HttpContext).ConfigureAwait(false);
        };
    }).AddSingleton<RateLimitRefusals>().AddSingleton<RateLimitWindows>().AddHostedService<RateLimitRefusalFlusher>();

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var caller = context.Caller();
        if (caller.IsOperator)
        {
            return RateLimitPartition.GetNoLimiter("operator");
        }

        // Full tiles are immutable: a cache in front absorbs them, so they spend no caller's window.
        if (Transparency.TilesApi.IsFullTileRequest(context))
        {
            return RateLimitPartition.GetNoLimiter("full-tiles");
        }

        if (caller.Recipient is not { } recipient)
        {
            var permits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.AnonymousRequestsPerSecond;
            return FixedWindow(context, string.Create(CultureInfo.InvariantCulture, $"anonymous|{permits}"), permits, TimeSpan.FromSeconds(1));
        }

        var limit = context.RequestServices.GetRequiredService<PolicyState>().RateLimitFor(recipient);
        if (limit is null)
        {
            return RateLimitPartition.GetNoLimiter(caller.PartitionKey);
        }

        // Invariant: the key carries the limit, so a new agreement version with a new limit takes effect at once.
        return FixedWindow(context, string.Create(CultureInfo.InvariantCulture, $"{caller.PartitionKey}|{limit.Requests}|{limit.Period.Ticks}"), limit.Requests, limit.Period);
    }

    // Security: an unauthenticated reporter is told apart by its address, held only as the limiter's key in memory (the
    // log holds no client addresses); one noisy source cannot spend every other reporter's window.
    private static RateLimitPartition<string> ReportsPartition(HttpContext context)
    {
        var caller = context.Caller();
        if (caller.IsOperator)
        {
            return RateLimitPartition.GetNoLimiter("operator");
        }

        context.Items[ReportsPolicy] = true;
        var permits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.ReportsPerHour;
        var source = caller.Recipient is { } recipient ? "recipient:" + recipient.Value : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return FixedWindow(context, string.Create(CultureInfo.InvariantCulture, $"reports|{source}|{permits}"), permits, TimeSpan.FromHours(1));
    }

    // The limiter reports the whole window as Retry-After; the windows record when each began, for the time left.
    private static RateLimitPartition<string> FixedWindow(HttpContext context, string key, int permits, TimeSpan window)
    {
        var windows = context.RequestServices.GetRequiredService<RateLimitWindows>();
        context.Items[typeof(RateLimitWindows)] = (key, window);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ =>
        {
            windows.Start(key);
            return Window(permits, window);
        });
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
