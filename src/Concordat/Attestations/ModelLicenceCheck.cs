using Concordat.Agreements;
using Concordat.Core;
using Concordat.Licences;

namespace Concordat.Attestations;

/// <summary>
/// The licence check of one model registration, wired to the SPDX library (<see cref="LicenceCompatibility"/>): the
/// model's licence and use against each input's licence and agreement; it collects the credits the model MUST carry.
/// </summary>
/// <remarks>
/// <para>Policy: an input whose attestation states no licence takes the licence its agreement's dataset tags give; an
/// input with neither is governed by its agreement alone (purpose, window, retention, the agreement's attribution
/// clause), and no licence finding is made about it (docs/design/licences.md).</para>
/// <para>Use one instance per registration: <see cref="Attributions"/> accumulates over its inputs.</para>
/// </remarks>
public sealed class ModelLicenceCheck(ModelUse use) : IModelLicenceCheck
{
    private readonly List<LicenceAttribution> _attributions = [];

    /// <summary>Gets what the model is for.</summary>
    public ModelUse Use { get; } = use;

    /// <summary>Gets the credits collected from the inputs checked so far, in input order.</summary>
    public IReadOnlyList<LicenceAttribution> Attributions => _attributions;

    /// <inheritdoc/>
    public IReadOnlyList<Diagnostic> Check(ModelRegistration registration, ModelInput input, string? inputLicence)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(input);
        var (agreement, dataset) = SourceOf(registration, input);
        var licence = inputLicence ?? agreement?.Datasets.FirstOrDefault(d => d.Id == dataset)?.Tags.Licence;
        if (licence is null)
        {
            if (agreement?.Publication?.Attribution is { } credit)
            {
                _attributions.Add(new LicenceAttribution(input.Reference, $"agreement `{agreement.Id.Value}`: `publication.attribution`", credit));
            }

            return [];
        }

        if (registration.Licence is null)
        {
            return [AttestationErrorCodes.ModelLicenceMissing.Error($"the model has no licence expression, and input `{input.Reference}` is licensed `{licence}`")];
        }

        var result = LicenceCompatibility.Check(new LicenceCheckRequest(registration.Licence, Use, [new LicenceInput(input.Reference, licence, agreement, dataset)]));
        _attributions.AddRange(result.Attributions);
        return result.Findings;
    }

    /// <summary>Maps a purpose to the use its licence check assumes: the purpose or a broader one named <c>research</c>, <c>evaluation</c> or <c>non-commercial</c>; otherwise commercial, the strictest.</summary>
    /// <param name="purpose">The model's purpose.</param>
    /// <param name="agreements">The agreements whose <c>broader</c> chains are followed.</param>
    /// <returns>The use.</returns>
    public static ModelUse UseOf(PurposeId purpose, IEnumerable<Agreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var broader = new Dictionary<PurposeId, PurposeId?>();
        foreach (var declared in agreements.SelectMany(a => a.Purposes))
        {
            broader.TryAdd(declared.Id, declared.Broader);
        }

        var seen = new HashSet<PurposeId>();
        for (PurposeId? current = purpose; current is { } id && seen.Add(id); current = broader.GetValueOrDefault(id))
        {
            switch (id.Value)
            {
                case "research":
                    return ModelUse.Research;
                case "evaluation":
                    return ModelUse.Evaluation;
                case "non-commercial":
                    return ModelUse.NonCommercial;
            }
        }

        // Security: a purpose the mapping does not know is checked as commercial, so no licence condition is skipped.
        return ModelUse.Commercial;
    }

    private static (Agreement? Agreement, DatasetId? Dataset) SourceOf(ModelRegistration registration, ModelInput input)
    {
        var predicate = input.Statement.Predicate;
        var dataset = predicate["dataset"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? new DatasetId(text) : (DatasetId?)null;
        if (input.Statement.PredicateType == AttestationPredicateTypes.Egress)
        {
            var digest = predicate["agreementDigest"]?.ToString();
            return (registration.Agreements.FirstOrDefault(a => a.Digest.ToString() == digest).Agreement, dataset);
        }

        var declaring = dataset is { } id ? registration.Agreements.FirstOrDefault(a => a.Agreement.Datasets.Any(d => d.Id == id)).Agreement : null;
        return (declaring, dataset);
    }
}
