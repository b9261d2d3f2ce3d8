using Concordat.Data.Datasets;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Journal;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Aggregates;

/// <summary>The request and the services the handlers of <see cref="AggregatesApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Datasets">The imported dataset versions.</param>
/// <param name="Egress">Decides and logs each query, and compiles the grant's field and row rules.</param>
/// <param name="Budgets">The privacy ledger.</param>
/// <param name="Journal">Writes the log entries and refusals.</param>
internal sealed record AggregateServices(
    HttpContext Context,
    [FromServices] DatasetStore Datasets,
    [FromServices] EgressPlanner Egress,
    [FromServices] PrivacyBudgets Budgets,
    [FromServices] GatewayJournal Journal);
