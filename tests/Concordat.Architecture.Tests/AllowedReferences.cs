namespace Concordat.Architecture.Tests;

/// <summary>What each shipped assembly may reference, by exact assembly name.</summary>
internal static class AllowedReferences
{
    public static IReadOnlyCollection<string> Keys => s_lists.Keys;

    public static IReadOnlySet<string> For(string assembly) => s_lists[assembly];

    private static readonly Dictionary<string, IReadOnlySet<string>> s_lists = new()
    {
        // Invariant: the pure library: the BCL's core, YamlDotNet for the agreement text, BouncyCastle (from Crypto/ only); no data access, no HTTP, no hosting.
        ["Concordat"] = Set("BouncyCastle.Cryptography", "System.Collections", "System.Collections.Concurrent", "System.IO.Compression", "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.InteropServices", "System.Runtime.Numerics", "System.Security.Cryptography", "System.Text.Encoding.Extensions", "System.Text.Encodings.Web", "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Channels", "System.Xml.ReaderWriter", "YamlDotNet"),
        // The store contracts: the library and ADO.NET's abstractions only, no driver.
        ["Concordat.Store"] = Set("Concordat", "System.Collections", "System.Data.Common", "System.Runtime"),
        // SQLite's driver and nothing of PostgreSQL.
        ["Concordat.Storage.Sqlite"] = Set("Concordat", "Concordat.Store", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "System.Collections", "System.Collections.Concurrent", "System.ComponentModel.Primitives", "System.Data.Common", "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.InteropServices", "System.Threading"),
        // Npgsql and nothing of SQLite.
        ["Concordat.Storage.Postgres"] = Set("Concordat", "Concordat.Store", "Microsoft.Extensions.Logging.Abstractions", "Npgsql", "System.Collections", "System.Data.Common", "System.Linq", "System.Memory", "System.Runtime", "System.Text.Json", "System.Threading"),
        // Invariant: datasets and egress are a library any path that lets rows leave can use: the pure library and the BCL, no web host, no database driver. System.Runtime.Numerics: the exact rationals (BigInteger) of the aggregates' noise parameters.
        ["Concordat.Data"] = Set("Concordat", "System.Collections", "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.Numerics", "System.Security.Cryptography", "System.Text.Json", "System.Text.RegularExpressions"),
        // Invariant: Parquet egress is its own project because Parquet.Net is a new kind of dependency: the data library, Parquet.Net, the BCL; no web host, no database driver.
        ["Concordat.Data.Parquet"] = Set("Concordat", "Concordat.Data", "Parquet", "System.Collections", "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography", "System.Text.Json"),
        // ASP.NET Core and OpenTelemetry's metrics export, and no database driver: the host hands the gateway its store engine. System.Net.Primitives: the status codes of the witnesses' answers (WitnessSubmitter).
        ["Concordat.Gateway"] = Set("Concordat", "Concordat.Data", "Concordat.Data.Parquet", "Concordat.Store", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.Hosting.Abstractions", "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.AspNetCore.Http.Extensions", "Microsoft.AspNetCore.Http.Features", "Microsoft.AspNetCore.Http.Results", "Microsoft.AspNetCore.Mvc.Abstractions", "Microsoft.AspNetCore.Mvc.Core", "Microsoft.AspNetCore.OpenApi", "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Server.Kestrel.Core", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Features", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Options.DataAnnotations", "Microsoft.Extensions.Primitives", "Microsoft.Net.Http.Headers", "Microsoft.OpenApi", "OpenTelemetry.Api", "OpenTelemetry.Exporter.Prometheus.AspNetCore", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.AspNetCore", "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable", "System.ComponentModel", "System.ComponentModel.Annotations", "System.Diagnostics.DiagnosticSource", "System.Linq", "System.Memory", "System.Net.Http", "System.Net.Primitives", "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography", "System.Text.Encodings.Web", "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Channels", "System.Threading.RateLimiting"),
        // The host: it chooses the store engine, so it alone references both storage projects.
        ["Concordat.Cli"] = Set("Concordat", "Concordat.Data", "Concordat.Data.Parquet", "Concordat.Gateway", "Concordat.Storage.Postgres", "Concordat.Storage.Sqlite", "Concordat.Store", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Mvc.Abstractions", "Microsoft.AspNetCore.Mvc.Core", "Microsoft.AspNetCore.OpenApi", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.OpenApi", "Spectre.Console", "Spectre.Console.Ansi", "System.Collections", "System.CommandLine", "System.ComponentModel", "System.Console", "System.Data.Common", "System.Linq", "System.Memory", "System.Net.Http", "System.Net.Primitives", "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography", "System.Text.Encoding.Extensions", "System.Text.Encodings.Web", "System.Text.Json", "System.Text.RegularExpressions"),
    };

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
