using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Lineage;

/// <summary>The request and the services the handlers of <see cref="LineageApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Book">The lineage graph, built from the log.</param>
/// <param name="Store">The registry: every stored agreement version, whose contacts and breach-notification deadlines an impact gives.</param>
/// <param name="Journal">Writes refusals.</param>
/// <param name="Log">The log, whose signed checkpoints an <c>asOf</c> must name.</param>
internal sealed record LineageServices(
    HttpContext Context,
    [FromServices] LineageBook Book,
    [FromServices] IRegistryStore Store,
    [FromServices] GatewayJournal Journal,
    [FromServices] ILogReader Log);
