using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using Concordat.Gateway;
using Concordat.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat serve --workspace DIR [--urls URLS] [--store CONNECTION] [--anonymous-rate N]</c>: runs the gateway until interrupted.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback by default); port 0 picks a free port", DefaultValueFactory = _ => GatewayOptions.DefaultUrls };
        var store = WorkspaceOptions.Store();
        var anonymousRate = new Option<int>("--anonymous-rate") { Description = "Requests per second that callers that are not a recipient (anonymous log readers among them) share", DefaultValueFactory = _ => GatewayOptions.DefaultAnonymousRequestsPerSecond };
        var command = new Command("serve", "Run the gateway on a workspace") { workspace, urls, store, anonymousRate };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var options = new GatewayOptions { Workspace = parse.GetValue(workspace)!, Urls = parse.GetValue(urls)!, AnonymousRequestsPerSecond = parse.GetValue(anonymousRate) };
            return await RunAsync(context, options, parse.GetValue(store), onStarted: null, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Builds, starts and runs the gateway on the store <see cref="StoreEngines"/> chooses, until <paramref name="cancellationToken"/> fires.</summary>
    internal static async Task<int> RunAsync(CliContext context, GatewayOptions options, string? store, Func<string, Task>? onStarted, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (InvalidUrl(options.Urls) is { } invalid)
        {
            return context.Fail(CliErrorCodes.UrlsInvalid, $"`--urls`: `{invalid}` is not an http:// or https:// address");
        }

        // The command prints its own start-up line below; the gateway's log line would say the same again.
        options.LogsStartLine = false;

        // A start that fails (port in use, store unreachable) is reported below as one line with its code; the host's
        // own error entry for it carries a stack trace, shown only with --verbose. Any setting of the key wins.
        const string HostLogLevel = "Logging__LogLevel__Microsoft.Extensions.Hosting.Internal.Host";
        if (!context.IsVerbose && Environment.GetEnvironmentVariable(HostLogLevel) is null)
        {
            Environment.SetEnvironmentVariable(HostLogLevel, "Critical");
        }

        WebApplication app;
        try
        {
            app = GatewayApp.Build(options, services => StoreEngines.Create(options.Workspace, store, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>()));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return context.Fail(CliErrorCodes.WorkspaceUnavailable, $"cannot open workspace `{options.Workspace}`: {ex.Message}");
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StartFailure(context, options, store, ex is AggregateException { InnerExceptions: [var inner] } ? inner : ex) is { } exitCode)
            {
                return exitCode;
            }

            var address = app.Urls.First();
            await File.WriteAllTextAsync(Path.Combine(options.Workspace, GatewayClient.UrlFileName), address + "\n", CancellationToken.None).ConfigureAwait(false);
            var engine = app.Services.GetRequiredService<IStoreEngine>().Name;
            context.Out.WriteLine($"concordat gateway listening on {address} (workspace {Path.GetFullPath(options.Workspace)}, {engine} store), started in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
            if (onStarted is not null)
            {
                await onStarted(address).ConfigureAwait(false);
            }

            await RunUntilStoppedAsync(context, app, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Waits for Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>, then stops the started <paramref name="app"/>.</summary>
    internal static async Task RunUntilStoppedAsync(CliContext context, WebApplication app, CancellationToken cancellationToken)
    {
        context.Out.WriteLine("press Ctrl+C to stop");

        // The host's console lifetime takes SIGTERM (and SIGINT) for itself and only signals ApplicationStopping,
        // so the wait watches that as well as the command's token; otherwise SIGTERM would never stop the host.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Returns the first of the <c>;</c>-separated addresses that is not http:// or https://, or null.</summary>
    internal static string? InvalidUrl(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .DefaultIfEmpty(string.Empty)
        .FirstOrDefault(url =>
        {
            // Kestrel's wildcard hosts (`*`, `+`) are not URI hosts; any concrete host stands in for them here.
            var concrete = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            return !Uri.TryCreate(concrete, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https");
        });

    /// <summary>Reports why the gateway did not start, as one line with its code; null for a failure that is a bug.</summary>
    private static int? StartFailure(CliContext context, GatewayOptions options, string? store, Exception ex)
    {
        if (context.IsVerbose)
        {
            context.Error.WriteLine(ex.ToString());
        }

        // Security: store messages name the problem, never the connection string, which may hold a password.
        return ex switch
        {
            IOException => context.Fail(CliErrorCodes.ListenFailed, $"cannot listen on `{options.Urls}`: {ex.Message.TrimEnd('.')}"),
            FormatException or UriFormatException => context.Fail(CliErrorCodes.UrlsInvalid, $"`--urls`: `{options.Urls}` cannot be listened on: {ex.Message.TrimEnd('.')}"),
            ArgumentException when !string.IsNullOrWhiteSpace(store) => context.Fail(CliErrorCodes.StoreUnavailable, $"--store is not a connection string: {ex.Message.TrimEnd('.')}"),
            DbException or TimeoutException when !string.IsNullOrWhiteSpace(store) => context.Fail(CliErrorCodes.StoreUnavailable, $"the PostgreSQL store cannot be reached: {ex.Message.TrimEnd('.')}"),
            DbException or InvalidDataException or UnauthorizedAccessException => context.Fail(CliErrorCodes.WorkspaceUnavailable, $"cannot open the store of workspace `{options.Workspace}`: {ex.Message.TrimEnd('.')}"),
            _ => null,
        };
    }
}
