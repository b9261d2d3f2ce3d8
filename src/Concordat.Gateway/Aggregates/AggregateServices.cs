using Concordat.Data.Datasets;
using Concordat.Data.RecipientTables;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Aggregates;

/// <summary>The request and the services the handlers of <see cref="AggregatesApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Datasets">The imported dataset versions.</param>
/// <param name="Egress">Decides and logs each query, and compiles the grant's field and row rules.</param>
/// <param name="Budgets">The privacy ledger.</param>
/// <param name="Journal">Writes the log entries and refusals.</param>
/// <param name="RecipientTables">The tables recipients upload to join with.</param>
/// <param name="Workspace">The workspace, whose master key derives each recipient's pseudonym key.</param>
/// <param name="Columns">The columnar copies the queries run over.</param>
/// <param name="Options">The gateway's limits (the upload's body size).</param>
internal sealed record AggregateServices(
    HttpContext Context,
    [FromServices] DatasetStore Datasets,
    [FromServices] EgressPlanner Egress,
    [FromServices] PrivacyBudgets Budgets,
    [FromServices] GatewayJournal Journal,
    [FromServices] RecipientTableStore RecipientTables,
    [FromServices] GatewayWorkspace Workspace,
    [FromServices] AggregateColumnsCache Columns,
    [FromServices] IOptions<GatewayOptions> Options);
