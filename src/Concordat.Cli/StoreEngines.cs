using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Concordat.Store;
using Microsoft.Extensions.Logging;

namespace Concordat.Cli;

/// <summary>
/// The one place that chooses the store engine, from the <c>--workspace</c> and <c>--store</c> options that
/// <c>serve</c> and the <c>log</c> verbs share: SQLite files in the workspace unless <c>--store</c> names a PostgreSQL
/// database. Nothing else asks which database it runs on.
/// </summary>
internal static class StoreEngines
{
    /// <summary>Creates the engine the options name; it opens nothing until it is used.</summary>
    /// <param name="workspace">The workspace folder, where the SQLite engine keeps its files.</param>
    /// <param name="store">A PostgreSQL connection string; null, empty or blank means the workspace's SQLite files.</param>
    /// <param name="time">The clock of the engine's background work.</param>
    /// <param name="loggerFactory">Where the engine logs.</param>
    /// <returns>The engine; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static IStoreEngine Create(string workspace, string? store, TimeProvider time, ILoggerFactory loggerFactory) =>
        string.IsNullOrWhiteSpace(store)
            ? new SqliteStoreEngine(workspace)
            : new PostgresStoreEngine(store, time, loggerFactory);
}
