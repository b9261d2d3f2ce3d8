using Concordat.Data.Datasets;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Recipients;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>The request and the services the handlers of <see cref="DeltaSharingApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Store">The registry: identities, tokens, seals.</param>
/// <param name="Policy">The agreements in force.</param>
/// <param name="Decisions">Decides each table query.</param>
/// <param name="Datasets">The imported dataset versions.</param>
/// <param name="Files">The Parquet files written for recipients, with the URL signing key.</param>
/// <param name="Streams">This process's seal marks.</param>
/// <param name="Workspace">The workspace: the pseudonymisation master key.</param>
/// <param name="Journal">Writes the log entries and refusals.</param>
/// <param name="Attestor">Attests each file fetch.</param>
internal sealed record DeltaSharingServices(
    HttpContext Context,
    [FromServices] IRegistryStore Store,
    [FromServices] PolicyState Policy,
    [FromServices] DecisionService Decisions,
    [FromServices] DatasetStore Datasets,
    [FromServices] DeltaSharingFiles Files,
    [FromServices] StreamRegistry Streams,
    [FromServices] GatewayWorkspace Workspace,
    [FromServices] GatewayJournal Journal,
    [FromServices] GatewayAttestor Attestor);
