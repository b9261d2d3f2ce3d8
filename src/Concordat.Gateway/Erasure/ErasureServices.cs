using Concordat.Gateway.Journal;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Erasure;

/// <summary>The request and the services the handler of <see cref="ErasureApi"/> takes, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Eraser">Carries out the erasure.</param>
/// <param name="Journal">Writes the refusals.</param>
internal sealed record ErasureServices(
    HttpContext Context,
    [FromServices] SubjectEraser Eraser,
    [FromServices] GatewayJournal Journal);

/// <summary>The request and the services <see cref="ErasureApi.ListAsync"/> takes, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Feed">The erasures, per recipient.</param>
/// <param name="Journal">Writes the refusals.</param>
internal sealed record ErasureListServices(
    HttpContext Context,
    [FromServices] ErasureFeed Feed,
    [FromServices] GatewayJournal Journal);
