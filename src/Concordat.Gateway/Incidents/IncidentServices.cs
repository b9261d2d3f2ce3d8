using Concordat.Gateway.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Transparency;
using Concordat.Store;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Incidents;

/// <summary>The request and the services the handlers of <see cref="IncidentsApi"/> take, bound as one parameter.</summary>
/// <remarks>The services are marked <c>[FromServices]</c>, as in <c>DatasetServices</c>, so none is read as a body.</remarks>
/// <param name="Context">The request.</param>
/// <param name="Book">The incidents, folded from the log.</param>
/// <param name="Policy">The agreements in force (for the notification clocks).</param>
/// <param name="Store">The registry: the known parties.</param>
/// <param name="Sealer">The seal act.</param>
/// <param name="Log">The transparency log (the snapshot's export and the postmortem's timeline).</param>
/// <param name="Workspace">Where snapshots are written.</param>
/// <param name="Journal">Writes the entries and refusals.</param>
/// <param name="Options">The gateway's options: whether it is a drill's gateway.</param>
/// <param name="Engine">The store: the lock that orders the acts on one incident across replicas.</param>
internal sealed record IncidentServices(
    HttpContext Context,
    [FromServices] IncidentBook Book,
    [FromServices] PolicyState Policy,
    [FromServices] IRegistryStore Store,
    [FromServices] RecipientSealer Sealer,
    [FromServices] LogHost Log,
    [FromServices] GatewayWorkspace Workspace,
    [FromServices] GatewayJournal Journal,
    [FromServices] IOptions<GatewayOptions> Options,
    [FromServices] IStoreEngine Engine);
