using Concordat.Data.Datasets;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Datasets;

/// <summary>The request and the services the handlers of <see cref="DatasetsApi"/> take, bound as one parameter.</summary>
/// <remarks>
/// The services are marked <c>[FromServices]</c>: left to inference, the request delegate generator would describe the
/// bundle as a possible JSON body, which the OpenAPI document cannot render.
/// </remarks>
/// <param name="Context">The request.</param>
/// <param name="Store">The registry: identities and receipts.</param>
/// <param name="Policy">The agreements in force.</param>
/// <param name="Decisions">Decides each egress again.</param>
/// <param name="Datasets">The imported dataset versions.</param>
/// <param name="Egress">Turns a logged egress decision into the stream or its refusal.</param>
/// <param name="Journal">Writes the log entries and refusals.</param>
/// <param name="Attestor">Attests each imported version.</param>
/// <param name="Options">The gateway's options (the import size limit).</param>
/// <param name="Logger">The console log of imports.</param>
internal sealed record DatasetServices(
    HttpContext Context,
    [FromServices] IRegistryStore Store,
    [FromServices] PolicyState Policy,
    [FromServices] DecisionService Decisions,
    [FromServices] DatasetStore Datasets,
    [FromServices] EgressPlanner Egress,
    [FromServices] GatewayJournal Journal,
    [FromServices] Provenance.GatewayAttestor Attestor,
    [FromServices] IOptions<GatewayOptions> Options,
    [FromServices] ILogger<DatasetVersionResponse> Logger);
