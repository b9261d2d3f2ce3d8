using Concordat.Gateway.Agreements;
using Concordat.Gateway.Erasure;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Provenance;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Retention;

/// <summary>The request and the services the handlers of <see cref="RetentionApi"/> take, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Book">The retention deadlines, read from the log.</param>
/// <param name="Store">The registry: the receipts of egress.</param>
/// <param name="Checker">The keys the operator pinned for each party.</param>
/// <param name="Attestations">Where the accepted envelopes are kept.</param>
/// <param name="Erasures">The erasures per recipient, whose pseudonyms an attestation may let the gateway forget.</param>
/// <param name="Logger">Where a failure to forget them is written.</param>
/// <param name="Journal">Writes the entries and refusals.</param>
internal sealed record RetentionServices(
    HttpContext Context,
    [FromServices] RetentionBook Book,
    [FromServices] IRegistryStore Store,
    [FromServices] AgreementChecker Checker,
    [FromServices] AttestationStore Attestations,
    [FromServices] ErasureFeed Erasures,
    [FromServices] ILogger<RetentionServices> Logger,
    [FromServices] GatewayJournal Journal);
