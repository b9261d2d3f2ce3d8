using System.CommandLine;
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

        // The command prints its own start-up line below; the gateway's log line would say the same again.
        options.LogsStartLine = false;
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
            catch (IOException ex)
            {
                return context.Fail(CliErrorCodes.ListenFailed, $"cannot listen on `{options.Urls}`: {ex.Message}");
            }

            var address = app.Urls.First();
            await File.WriteAllTextAsync(Path.Combine(options.Workspace, GatewayClient.UrlFileName), address + "\n", CancellationToken.None).ConfigureAwait(false);
            var engine = app.Services.GetRequiredService<IStoreEngine>().Name;
            context.Out.WriteLine($"concordat gateway listening on {address} (workspace {Path.GetFullPath(options.Workspace)}, {engine} store), started in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
            if (onStarted is not null)
            {
                await onStarted(address).ConfigureAwait(false);
            }

            context.Out.WriteLine("press Ctrl+C to stop");

            // The host's console lifetime takes SIGTERM (and SIGINT) for itself and only signals ApplicationStopping,
            // so the wait watches that as well as the command's token; otherwise SIGTERM would never stop the gateway.
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

        return ExitCodes.Ok;
    }
}
