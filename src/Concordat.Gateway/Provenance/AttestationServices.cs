using Concordat.Gateway.Erasure;
using Concordat.Gateway.Journal;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Provenance;

/// <summary>The request and the services the handlers of <see cref="AttestationsApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Attestor">The signing key and its source.</param>
/// <param name="Attestations">The envelopes held.</param>
/// <param name="Store">The registry: the receipt that names an egress's recipient.</param>
/// <param name="Erasures">The erasures logged, with the recipients of the egress they touched.</param>
/// <param name="Journal">Writes refusals.</param>
internal sealed record AttestationServices(
    HttpContext Context,
    [FromServices] GatewayAttestor Attestor,
    [FromServices] AttestationStore Attestations,
    [FromServices] IRegistryStore Store,
    [FromServices] ErasureBook Erasures,
    [FromServices] GatewayJournal Journal);
