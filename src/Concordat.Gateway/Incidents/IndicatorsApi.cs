using System.Text.Json;
using Concordat.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Incidents;
using Concordat.Incidents.Detection;
using Concordat.Incidents.Sharing;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// A partner's STIX 2.1 bundle taken in by the operator (<c>POST /v1/indicators</c>): each indicator naming an identity
/// or token of this gateway becomes a <c>shared-indicator</c> alert for its recipient, which seals at once where an
/// agreement's auto-seal list names <c>shared-indicator</c> or an alert kind the indicator carries (docs/formats/stix.md).
/// </summary>
internal static class IndicatorsApi
{
    /// <summary>The greatest bundle taken: the OASIS example reports are under 100 KiB.</summary>
    public const long MaxBundleBytes = 1024 * 1024;

    // Invariant: a bundle costs at most this many registry look-ups; the rest of its values are not looked up.
    private const int MaxLookups = 1000;

    public static IEndpointRouteBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/v1", "Incidents").MapPost("/indicators", ImportAsync).RequireOperator()
            .Accepts<JsonElement>("application/json")
            .WithName("ImportIndicators").WithSummary("Take in a partner's STIX 2.1 bundle: indicators naming this gateway's identities or tokens become alerts, sealing where an agreement says so")
            .ProducesProblems(Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<Ok<IndicatorImport>, ProblemHttpResult>> ImportAsync([AsParameters] IndicatorServices s)
    {
        var context = s.Context;
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return await RefuseAsync(s, ProblemCode.UnsupportedMediaType, "send the bundle as `application/json`").ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBundleBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return await RefuseAsync(s, ProblemCode.StixBundleInvalid, "the body is not JSON").ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == Status413PayloadTooLarge)
        {
            return await RefuseAsync(s, ProblemCode.BodyTooLarge, $"a bundle is at most {MaxBundleBytes} bytes").ConfigureAwait(false);
        }

        using (document)
        {
            if (!StixBundleReader.TryRead(document.RootElement, out var indicators, out var objects, out var error))
            {
                return await RefuseAsync(s, ProblemCode.StixBundleInvalid, error).ConfigureAwait(false);
            }

            var matches = new List<IndicatorMatch>();
            var lookups = 0;
            foreach (var indicator in indicators)
            {
                var found = new Dictionary<(string Recipient, string? ClientId), string?>();
                foreach (var clientId in indicator.ClientIds.Where(Ids.IsValid))
                {
                    if (lookups++ < MaxLookups && await s.Store.FindIdentityAsync(new IdentityId(clientId), context.RequestAborted).ConfigureAwait(false) is { } identity)
                    {
                        found.TryAdd((identity.Recipient.Value, clientId), null);
                    }
                }

                foreach (var tokenId in indicator.TokenIds.Where(Ids.IsValid))
                {
                    if (lookups++ < MaxLookups && await s.Store.FindTokenAsync(new TokenId(tokenId), context.RequestAborted).ConfigureAwait(false) is { } token)
                    {
                        found[(token.Recipient.Value, token.ClientId.Value)] = tokenId;
                    }
                }

                matches.AddRange(await RaiseAsync(s, indicator, found).ConfigureAwait(false));
            }

            return TypedResults.Ok(new IndicatorImport(objects, indicators.Count, matches));
        }
    }

    private static async Task<List<IndicatorMatch>> RaiseAsync(IndicatorServices s, StixIndicator indicator, Dictionary<(string Recipient, string? ClientId), string?> found)
    {
        // Security: only names from the alert vocabulary and a bounded id reach the log, never the partner's free text.
        var kinds = indicator.Labels.Select(l => AlertVocabulary.TryResolve(l, out var kind) ? kind : (AlertKind?)null).OfType<AlertKind>()
            .Where(k => k != AlertKind.SharedIndicator).Distinct().ToList();
        var id = indicator.Id.Length > 100 ? indicator.Id[..100] : indicator.Id;
        var subject = kinds.Count == 0 ? id : $"{id} ({string.Join(", ", kinds.Select(AlertVocabulary.NameOf))})";
        var matches = new List<IndicatorMatch>();
        foreach (var ((recipient, clientId), tokenId) in found.OrderBy(f => f.Key.Recipient, StringComparer.Ordinal).ThenBy(f => f.Key.ClientId, StringComparer.Ordinal))
        {
            var now = s.Journal.Now;
            var alert = new Alert(AlertKind.SharedIndicator, new PartyId(recipient), clientId is null ? null : new ClientId(clientId), now, now, 1, 0, subject);
            var (index, autoSeal) = await s.Raiser.RaiseAsync(alert, kinds).ConfigureAwait(false);
            matches.Add(new IndicatorMatch(indicator.Id, recipient, clientId, tokenId, index, autoSeal));
        }

        return matches;
    }

    private static async Task<ProblemHttpResult> RefuseAsync(IndicatorServices s, ProblemCode code, string detail) =>
        await s.Journal.RefuseAsync(s.Context, code, detail, s.Context.Caller()).ConfigureAwait(false);
}

/// <summary>The request and the services <see cref="IndicatorsApi"/> takes, bound as one parameter.</summary>
/// <param name="Context">The request.</param>
/// <param name="Store">The registry: identities and tokens.</param>
/// <param name="Raiser">Raises each alert (log, auto-seal, triage).</param>
/// <param name="Journal">Writes the refusals.</param>
internal sealed record IndicatorServices(
    HttpContext Context,
    [FromServices] IRegistryStore Store,
    [FromServices] AlertRaiser Raiser,
    [FromServices] GatewayJournal Journal);

/// <summary>A bundle taken in: how many objects and indicators it held, and each alert raised for one of them.</summary>
internal sealed record IndicatorImport(int Objects, int Indicators, IReadOnlyList<IndicatorMatch> Matches);

/// <summary>
/// One indicator that named an identity or token of this gateway: the recipient and identity it names, the token when
/// a token named it, the log index of the <c>shared-indicator</c> alert raised, and the agreements whose auto-seal lists
/// sealed the recipient for it (empty when none did).
/// </summary>
internal sealed record IndicatorMatch(string Indicator, string Recipient, string? ClientId, string? TokenId, long Alert, IReadOnlyList<string> AutoSeal);
