using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Licences;
using Concordat.Lineage;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// The model registry over HTTP, for the operator: <c>POST /v1/models</c> checks every training input (attestations the
/// gateway holds) as <c>concordat model register</c> does (<see cref="ModelRegistrar.Evaluate"/>), then signs and logs
/// the model's attestation; <c>GET /v1/models</c> and <c>GET /v1/models/{modelId}</c> read what was registered.
/// </summary>
internal static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOperatorGroup("/v1/models", "Models");
        group.MapPost("/", RegisterAsync).WithName("RegisterModel")
            .WithSummary("Register a model: check its training inputs (purpose, window, retention, licences, IP), sign its model/v1 attestation and log it")
            .ProducesProblems(Status400BadRequest, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).WithName("ListModels")
            .WithSummary("The models registered at this gateway, by name then version");
        group.MapGet("/{modelId}", ReadAsync).WithName("ReadModel")
            .WithSummary("One registered model (`name@version`), as its attestation states it")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        return app;
    }

    internal static async Task<Results<Created<ModelRegistered>, ProblemHttpResult>> RegisterAsync(ModelRegistrationRequest request, [AsParameters] AttestationServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();
        if (Shape(request) is { } invalid)
        {
            return await journal.RefuseAsync(context, ProblemCode.ModelInvalid, invalid, caller).ConfigureAwait(false);
        }

        var trusted = new[] { DsseVerifierKey.FromNoteKey(services.Attestor.Key.VerifierKey) };
        var inputs = new List<ModelInput>();
        foreach (var input in request.Inputs!)
        {
            var envelope = await InputEnvelopeAsync(input, services).ConfigureAwait(false);
            var verified = envelope is null ? null : Attestation.Verify(envelope, trusted);
            if (verified is not { IsVerified: true })
            {
                return await journal.RefuseAsync(context, ProblemCode.ModelInvalid, $"input `{input.Kind}:{input.Id}`: this gateway holds no attestation of it signed with its key", caller).ConfigureAwait(false);
            }

            inputs.Add(new ModelInput($"{input.Kind}:{input.Id}", verified.Statement!));
        }

        var registration = new ModelRegistration(
            request.Name!,
            [.. request.Checkpoints!.Select(c => AttestationSubject.FromSha256(c.Name!, Sha256Digest.Parse(c.Sha256!)))],
            Sha256Digest.Parse(request.TrainingConfig!),
            inputs,
            request.Trainer!,
            new PurposeId(request.Purpose!),
            await AgreementsOfAsync(inputs, services).ConfigureAwait(false),
            request.Licence,
            journal.Now)
        { Version = request.Version };
        ModelUse? use = request.Use is null ? null : Enum.GetValues<ModelUse>().First(u => LicenceCompatibility.NameOf(u) == request.Use);
        var category = request.Ip is null ? IpCategory.Foreground : Enum.GetValues<IpCategory>().First(c => IpClassifier.NameOf(c) == request.Ip);
        var evaluation = ModelRegistrar.Evaluate(registration, use, category, request.IpOwner);
        var findings = evaluation.Problems.Select(p => p.ToString()).ToList();
        if (evaluation.Statement is not { } statement)
        {
            return await journal.RefuseAsync(context, ProblemCode.ModelRefused, $"model `{request.Name}@{request.Version}` is refused: {evaluation.Problems.First(p => p.IsError).Message}", caller, extensions: new Dictionary<string, object?> { ["diagnostics"] = findings }).ConfigureAwait(false);
        }

        var id = ModelIds.Format(request.Name!, request.Version!);
        if (await services.Attestor.AttestModelAsync(request.Name!, request.Version!, statement).ConfigureAwait(false) is not { } entry)
        {
            return await journal.RefuseAsync(context, ProblemCode.ModelRegistered, $"model `{id}` is registered already: nothing was signed", caller).ConfigureAwait(false);
        }

        var (ip, licences) = (evaluation.Ip, evaluation.Licences);
        var owners = ip.ExternalOwner is { } external ? [external] : ip.Owners;
        return TypedResults.Created($"/v1/models/{id}", new ModelRegistered(Record(id, statement), entry.Envelope, entry.KeyId, licences.Attributions, IpClassifier.NameOf(ip.Category), owners, findings));
    }

    internal static Ok<IReadOnlyList<ModelRecord>> ListAsync([AsParameters] AttestationServices services)
    {
        var store = services.Attestations;
        IReadOnlyList<ModelRecord> models = [.. store.Models()
            .Select(m => Read(store, m.Name, m.Version))
            .OfType<ModelRecord>()];
        return TypedResults.Ok(models);
    }

    internal static async Task<Results<Ok<ModelRecord>, ProblemHttpResult>> ReadAsync(string modelId, [AsParameters] AttestationServices services)
    {
        if (!ModelIds.TryParse(modelId, out var name, out var version))
        {
            return await services.Journal.RefuseAsync(services.Context, ProblemCode.InvalidId, "the model id is not `name@version`, both ids", services.Context.Caller()).ConfigureAwait(false);
        }

        return Read(services.Attestations, name, version) is { } model ? TypedResults.Ok(model) : Problem.Of(ProblemCode.NotFound, $"no model `{modelId}` is registered");
    }

    private static ModelRecord? Read(AttestationStore store, string name, string version)
    {
        var bytes = AttestationStore.Read(store.ModelPath(name, version));
        return bytes is not null && DsseEnvelope.TryParse(bytes, out var envelope, out _) && InTotoStatement.TryParse(envelope.Payload.Span, out var statement, out _)
            ? Record(ModelIds.Format(name, version), statement)
            : null;
    }

    private static ModelRecord Record(string id, InTotoStatement statement)
    {
        var predicate = statement.Predicate;
        var inputs = (predicate["inputs"] as JsonArray ?? [])
            .Select(i => (Type: JsonMembers.Text(i?["predicateType"]), First: (i?["subjects"] as JsonArray)?.FirstOrDefault()))
            .Select(i => new ModelInputSummary(i.Type ?? string.Empty, JsonMembers.Text(i.First?["name"]) ?? string.Empty, JsonMembers.Text(i.First?["sha256"])))
            .ToList();
        _ = ModelIds.TryParse(id, out var name, out var version);
        return new ModelRecord(
            id,
            name,
            version,
            JsonMembers.Text(predicate["trainer"]) ?? string.Empty,
            JsonMembers.Text(predicate["purpose"]) ?? string.Empty,
            JsonMembers.Text(predicate["licence"]),
            JsonMembers.Text(predicate["use"]),
            Rfc3339.TryParseUtc(JsonMembers.Text(predicate["registeredAt"]), out var at, out _) ? at : DateTimeOffset.UnixEpoch,
            [.. statement.Subjects.Select(s => new ModelCheckpointDocument(s.Name, s.Sha256?.ToString()))],
            inputs,
            $"/v1/attestations/models/{id}");
    }

    private static async Task<byte[]?> InputEnvelopeAsync(ModelInputReference input, AttestationServices services)
    {
        var store = services.Attestations;
        switch (input.Kind)
        {
            case "egress" when Ids.IsValid(input.Id):
                var receipt = await services.Store.FindReceiptAsync(new DecisionId(input.Id!), services.Context.RequestAborted).ConfigureAwait(false);
                return receipt is null ? null : AttestationStore.Read(store.EgressPath(receipt.Recipient.Value, input.Id!));
            case "dataset-version" when LineageGraph.TryParseDatasetVersion(input.Id, out var dataset, out var version) && Ids.IsValid(dataset):
                return AttestationStore.Read(store.DatasetVersionPath(dataset, version));
            case "model" when ModelIds.TryParse(input.Id, out var name, out var modelVersion):
                return AttestationStore.Read(store.ModelPath(name, modelVersion));
            default:
                return null;
        }
    }

    // The agreements the egress inputs were obtained under, found by digest among every stored version (superseded
    // ones included): an input whose digest names none is refused by the registrar (PRV5010).
    private static async Task<IReadOnlyList<(Agreement Agreement, Sha256Digest Digest)>> AgreementsOfAsync(List<ModelInput> inputs, AttestationServices services)
    {
        var digests = inputs.Where(i => i.Statement.PredicateType == AttestationPredicateTypes.Egress)
            .Select(i => JsonMembers.Text(i.Statement.Predicate["agreementDigest"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (digests.Count == 0)
        {
            return [];
        }

        var versions = await services.Store.ListAgreementVersionsAsync(services.Context.RequestAborted).ConfigureAwait(false);
        return [.. versions.Where(v => digests.Contains(v.Digest.ToString()))
            .Select(v => (Agreement: AgreementAmendments.Read(v), v.Digest))
            .Where(v => v.Agreement is not null)
            .Select(v => (v.Agreement!, v.Digest))];
    }

    // The request's shape: every member present and of its form; the inputs are checked against the agreements after.
    private static string? Shape(ModelRegistrationRequest request) =>
        !Ids.IsValid(request.Name) || !Ids.IsValid(request.Version) ? "`name` and `version` must be ids (letters, digits, `.`, `_`, `-`)"
        : request.Checkpoints is not { Count: > 0 } checkpoints || checkpoints.Any(c => string.IsNullOrEmpty(c?.Name) || !Sha256Digest.TryParse(c.Sha256, out _))
            ? "`checkpoints` must list at least one file, each a `name` and a `sha256` (`sha256:<hex>`)"
        : checkpoints.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != checkpoints.Count ? "`checkpoints` names a file twice"
        : !Sha256Digest.TryParse(request.TrainingConfig, out _) ? "`trainingConfig` must be the configuration's SHA-256 (`sha256:<hex>`)"
        : request.Inputs is not { Count: > 0 } inputs || inputs.Any(i => i is null) ? "`inputs` must list at least one training input: `{\"kind\": \"egress\"|\"dataset-version\"|\"model\", \"id\"}`"
        : inputs.FirstOrDefault(i => i.Kind is not ("egress" or "dataset-version" or "model")) is { } unknown ? $"input `{unknown.Kind}:{unknown.Id}`: `kind` must be `egress`, `dataset-version` or `model`"
        : !Ids.IsValid(request.Trainer) ? "`trainer` must be a party id"
        : !Ids.IsValid(request.Purpose) ? "`purpose` must be a purpose id"
        : request.Use is not null && !Enum.GetValues<ModelUse>().Any(u => LicenceCompatibility.NameOf(u) == request.Use) ? "`use` must be `research`, `evaluation`, `non-commercial` or `commercial`"
        : request.Ip is not null && !Enum.GetValues<IpCategory>().Any(c => IpClassifier.NameOf(c) == request.Ip) ? "`ip` must be `foreground`, `background` or `third-party`"
        : (request.Ip == IpClassifier.NameOf(IpCategory.ThirdParty)) != (request.IpOwner is not null) ? "`ipOwner` is given with `ip: third-party` only, and then required"
        : null;
}
