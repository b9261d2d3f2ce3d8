using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>The options every command that works on a gateway workspace shares.</summary>
internal static class WorkspaceOptions
{
    /// <summary>The workspace used when none is given.</summary>
    public const string DefaultWorkspace = "concordat-workspace";

    public static Option<string> Workspace() => new("--workspace")
    {
        Description = "The gateway workspace folder (SQLite store, keys, configuration)",
        DefaultValueFactory = _ => DefaultWorkspace,
    };

    /// <summary>The store option of every verb that opens the store itself (<c>serve</c>, the <c>log</c> verbs), read by <see cref="StoreEngines"/>.</summary>
    public static Option<string?> Store() => new("--store")
    {
        Description = "A PostgreSQL connection string: the registry and log live there instead of the workspace's SQLite files (empty: SQLite)",
    };

    public static Option<string?> Url() => new("--url")
    {
        Description = "The running gateway's address; defaults to the one `concordat serve` wrote in the workspace",
    };
}
