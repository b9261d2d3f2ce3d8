using System.ComponentModel.DataAnnotations;

namespace Concordat.Gateway;

/// <summary>
/// How a gateway runs: its workspace, where it listens and its limits. The store engine is the host's choice, handed
/// to <c>GatewayApp.Build</c> beside these options.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The default address: loopback only, port 8080.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The default greatest body of an ordinary request: 64 KiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    /// <summary>The default greatest body of a dataset import: 1 GiB.</summary>
    public const long DefaultMaxImportBodyBytes = 1024L * 1024 * 1024;

    /// <summary>The default number of requests per second that callers that are not a recipient share: 50.</summary>
    public const int DefaultAnonymousRequestsPerSecond = 50;

    /// <summary>The default number of reports one source may send per hour: 10.</summary>
    public const int DefaultReportsPerHour = 10;

    /// <summary>The default number of rows held as columnar copies for aggregate queries: 2,000,000.</summary>
    public const int DefaultAggregateColumnarRows = 2_000_000;

    /// <summary>The longest lifetime a token ever has, whatever the request or the agreement say.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the workspace folder: keys, configuration, datasets, and the SQLite store when that is the engine.</summary>
    [Required]
    public string Workspace { get; set; } = string.Empty;

    /// <summary>Gets or sets the addresses to listen on, separated by <c>;</c>.</summary>
    /// <value>Defaults to <see cref="DefaultUrls"/>; use port 0 for any free port.</value>
    [Required]
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Gets or sets the greatest body of an ordinary request, in bytes.</summary>
    /// <value>Defaults to <see cref="DefaultMaxRequestBodyBytes"/>.</value>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Gets or sets the greatest body of a dataset import, in bytes.</summary>
    /// <value>Defaults to <see cref="DefaultMaxImportBodyBytes"/>.</value>
    [Range(1024, long.MaxValue)]
    public long MaxImportBodyBytes { get; set; } = DefaultMaxImportBodyBytes;

    /// <summary>
    /// Gets or sets how many requests per second the callers that are not a recipient (anonymous log readers, bad
    /// credentials, probes) share on the rate-limited routes, the log reads among them; 429 <c>GW6010</c> beyond.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultAnonymousRequestsPerSecond"/>.</value>
    [Range(1, 1_000_000)]
    public int AnonymousRequestsPerSecond { get; set; } = DefaultAnonymousRequestsPerSecond;

    /// <summary>
    /// Gets or sets how many reports (<c>POST /v1/reports</c>) one source may send per hour: a recipient, or an
    /// unauthenticated caller by its network address (held in memory only, never logged); 429 <c>GW6010</c> beyond.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultReportsPerHour"/>.</value>
    [Range(1, 100_000)]
    public int ReportsPerHour { get; set; } = DefaultReportsPerHour;

    /// <summary>
    /// Gets or sets how many rows the columnar copies of dataset versions that aggregate queries run over may hold
    /// together (about four bytes per row and field, plus each field's distinct values); a version with more rows is
    /// aggregated from its stored rows, with the same answers, more slowly. 0 turns the copies off.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultAggregateColumnarRows"/>.</value>
    [Range(0, int.MaxValue)]
    public int AggregateColumnarRows { get; set; } = DefaultAggregateColumnarRows;

    /// <summary>
    /// Gets or sets whether the gateway logs its start-up line (event 6000); off where the host prints its own, as
    /// <c>concordat serve</c> does, so the line is not shown twice.
    /// </summary>
    public bool LogsStartLine { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether every incident this gateway opens (for an alert or the operator)
    /// is a drill (<c>drill: true</c>), which no KPI counts as a real incident: the gateway of <c>concordat incident drill</c>,
    /// which runs on a throwaway copy of a workspace.
    /// </summary>
    public bool IsDrill { get; set; }
}
