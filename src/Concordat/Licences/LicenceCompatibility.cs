using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// Checks a model's licence and use against the licence of every input it was trained on and against each input's
/// agreement, and collects the credits the model MUST carry (docs/design/licences.md).
/// </summary>
/// <remarks>
/// Policy: a model trained on an input is an adaptation of it for licences with share-alike, non-commercial or
/// no-derivatives conditions, unless the input's agreement says otherwise (<see cref="LicenceInput.IsAdaptation"/>).
/// In an input's expression <c>OR</c> lets the check choose any branch (the first that passes), <c>AND</c> applies
/// every operand. A licence the table has no row for fails the check: nothing can be said about it.
/// </remarks>
public static class LicenceCompatibility
{
    /// <summary>Runs the check.</summary>
    /// <param name="request">The model's licence and use, and its inputs.</param>
    /// <returns>Every finding and every credit.</returns>
    public static LicenceCheckResult Check(LicenceCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = new List<Diagnostic>();
        var attributions = new List<LicenceAttribution>();
        var model = LicenceExpressionParser.Parse(request.ModelLicence);
        findings.AddRange(model.Diagnostics.Select(d => d with { Message = $"model licence: {d.Message}" }));
        if (model.Expression is null)
        {
            return new LicenceCheckResult(findings, attributions);
        }

        foreach (var input in request.Inputs)
        {
            CheckInput(input, model.Expression, request.Use, findings, attributions);
        }

        return new LicenceCheckResult(findings, attributions);
    }

    /// <summary>Writes a use as the CLI and messages do: <c>research</c>, <c>evaluation</c>, <c>non-commercial</c>, <c>commercial</c>.</summary>
    /// <param name="use">The use.</param>
    /// <returns>Its name.</returns>
    public static string NameOf(ModelUse use) => use switch
    {
        ModelUse.Research => "research",
        ModelUse.Evaluation => "evaluation",
        ModelUse.NonCommercial => "non-commercial",
        _ => "commercial",
    };

    private static void CheckInput(LicenceInput input, LicenceExpression model, ModelUse use, List<Diagnostic> findings, List<LicenceAttribution> attributions)
    {
        var name = input.Name;
        var text = input.Licence ?? DatasetLicence(input);
        if (text is null)
        {
            findings.Add(LicenceErrorCodes.LicenceMissing.Error($"input `{name}` has no licence expression"));
            return;
        }

        var parsed = LicenceExpressionParser.Parse(text);
        findings.AddRange(parsed.Diagnostics.Select(d => d with { Message = $"input `{name}`: {d.Message}" }));
        if (parsed.Expression is null)
        {
            return;
        }

        var agreementAttribution = input.Agreement?.Publication?.Attribution;
        var (termFindings, termAttributions) = Evaluate(parsed.Expression, input, model, use, agreementAttribution);
        findings.AddRange(termFindings);
        attributions.AddRange(termAttributions);
        if (input.Agreement is { } agreement)
        {
            CheckAgreement(agreement, input, parsed.Expression, findings, attributions);
        }
    }

    private static string? DatasetLicence(LicenceInput input) =>
        input is { Agreement: { } agreement, Dataset: { } dataset } ? agreement.Datasets.FirstOrDefault(d => d.Id == dataset)?.Tags.Licence : null;

    private static (List<Diagnostic> Findings, List<LicenceAttribution> Attributions) Evaluate(LicenceExpression expression, LicenceInput input, LicenceExpression model, ModelUse use, string? agreementAttribution)
    {
        switch (expression)
        {
            case LicenceAnd and:
                var left = Evaluate(and.Left, input, model, use, agreementAttribution);
                var right = Evaluate(and.Right, input, model, use, agreementAttribution);
                return ([.. left.Findings, .. right.Findings], [.. left.Attributions, .. right.Attributions]);
            case LicenceOr or:
                // Invariant: a choice passes when one branch passes; only when none does are all branches' findings reported.
                var first = Evaluate(or.Left, input, model, use, agreementAttribution);
                if (!first.Findings.Any(f => f.IsError))
                {
                    return first;
                }

                var second = Evaluate(or.Right, input, model, use, agreementAttribution);
                return second.Findings.Any(f => f.IsError) ? ([.. first.Findings, .. second.Findings], []) : second;
            default:
                return CheckTerm((LicenceTerm)expression, input, model, use, agreementAttribution);
        }
    }

    private static (List<Diagnostic> Findings, List<LicenceAttribution> Attributions) CheckTerm(LicenceTerm term, LicenceInput input, LicenceExpression model, ModelUse use, string? agreementAttribution)
    {
        var findings = new List<Diagnostic>();
        var attributions = new List<LicenceAttribution>();
        var prefix = $"input `{input.Name}`: licence `{term}`";
        if (!LicenceRules.TryFind(term, out var rule))
        {
            findings.Add(LicenceErrorCodes.NoRule.Error($"{prefix} has no row in the compatibility table"));
            return (findings, attributions);
        }

        if (rule.Has(LicenceConditions.NonCommercial) && use == ModelUse.Commercial)
        {
            findings.Add(LicenceErrorCodes.UseNotPermitted.Error($"{prefix} is non-commercial: use `{NameOf(use)}` is not permitted"));
        }

        if (rule.Has(LicenceConditions.ResearchOnly) && use is not (ModelUse.Research or ModelUse.Evaluation))
        {
            findings.Add(LicenceErrorCodes.UseNotPermitted.Error($"{prefix} is research-only: use `{NameOf(use)}` is not permitted"));
        }

        if (input.IsAdaptation && rule.Has(LicenceConditions.NoDerivatives))
        {
            findings.Add(LicenceErrorCodes.AdaptationForbidden.Error($"{prefix} forbids adaptations (no-derivatives), and a model trained on it is one"));
        }

        if (input.IsAdaptation && rule.Has(LicenceConditions.ShareAlike) && !Honours(model, rule.AdaptationLicences))
        {
            var allowed = string.Join(", ", rule.AdaptationLicences.Select(l => $"`{l}`"));
            findings.Add(LicenceErrorCodes.ModelLicenceIncompatible.Error($"{prefix} ({rule.Kind}) requires the model to be licensed under one of {allowed}, not `{model}`"));
        }

        if (rule.Has(LicenceConditions.Attribution))
        {
            var text = input.Attribution ?? agreementAttribution;
            attributions.Add(new LicenceAttribution(input.Name, $"licence `{term}`", text));
            if (text is null)
            {
                findings.Add(LicenceErrorCodes.AttributionMissing.Warning($"{prefix} requires attribution, and no attribution text is known"));
            }
        }

        return (findings, attributions);
    }

    // Invariant: a model offered under a choice (OR) honours share-alike only if every choice does; under AND, one licence that does suffices.
    private static bool Honours(LicenceExpression model, IReadOnlyList<string> allowed) => model switch
    {
        LicenceOr or => Honours(or.Left, allowed) && Honours(or.Right, allowed),
        LicenceAnd and => Honours(and.Left, allowed) || Honours(and.Right, allowed),
        LicenceTerm term => allowed.Contains(LicenceRules.KeyOf(term), StringComparer.Ordinal),
        _ => false,
    };

    private static void CheckAgreement(Agreement agreement, LicenceInput input, LicenceExpression licence, List<Diagnostic> findings, List<LicenceAttribution> attributions)
    {
        if (agreement.Publication?.Attribution is { } attribution)
        {
            attributions.Add(new LicenceAttribution(input.Name, $"agreement `{agreement.Id.Value}`: `publication.attribution`", attribution));
        }

        if (NotAllowed(agreement, $"input `{input.Name}`", licence) is { } notAllowed)
        {
            findings.Add(notAllowed);
        }
    }

    /// <summary>Checks a licence against the agreement's <c>intellectualProperty.thirdPartyLicences</c>, when it lists any.</summary>
    internal static Diagnostic? NotAllowed(Agreement agreement, string subject, LicenceExpression licence)
    {
        var allowed = agreement.IntellectualProperty?.ThirdPartyLicences ?? [];
        if (allowed.Count == 0)
        {
            return null;
        }

        var allowedKeys = allowed
            .Select(a => LicenceExpressionParser.Parse(a).Expression)
            .OfType<LicenceExpression>()
            .SelectMany(e => e.Terms)
            .Select(LicenceRules.KeyOf)
            .ToHashSet(StringComparer.Ordinal);
        if (IsAllowed(licence, allowedKeys))
        {
            return null;
        }

        var list = string.Join(", ", allowed.Select(a => $"`{a}`"));
        return LicenceErrorCodes.AgreementLicenceNotAllowed.Error($"{subject}: agreement `{agreement.Id.Value}`: `intellectualProperty.thirdPartyLicences` allows {list}; licence `{licence}` is not among them");
    }

    private static bool IsAllowed(LicenceExpression licence, HashSet<string> allowed) => licence switch
    {
        LicenceOr or => IsAllowed(or.Left, allowed) || IsAllowed(or.Right, allowed),
        LicenceAnd and => IsAllowed(and.Left, allowed) && IsAllowed(and.Right, allowed),
        LicenceTerm term => allowed.Contains(LicenceRules.KeyOf(term)),
        _ => false,
    };
}
