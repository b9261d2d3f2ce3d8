using System.Globalization;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// Compares two versions of one agreement: what changed clause by clause, and, by deciding every class of request
/// with both versions, whether the new version grants more (docs/design/amendments.md).
/// </summary>
public static class AgreementDiffer
{
    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>, two validated versions of one agreement.</summary>
    /// <param name="before">The version in force, or the older one.</param>
    /// <param name="after">The amendment.</param>
    /// <param name="diff">The difference, when the versions can be compared.</param>
    /// <param name="problem">Why they cannot: `AGR3401` for two different agreements, `AGR3402` when too many requests would have to be decided.</param>
    /// <returns>Whether the versions were compared.</returns>
    public static bool TryCompare(Agreement before, Agreement after, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgreementDiff? diff, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Diagnostic? problem)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        diff = null;
        problem = null;
        if (before.Id != after.Id)
        {
            problem = AgreementDiagnosticCodes.DiffOfDifferentAgreements.Error($"`{before.Id}` and `{after.Id}` are different agreements: a diff compares two versions of one agreement", null, "give two versions of the same agreement id");
            return false;
        }

        var space = new RequestSpace(before, after);
        if (space.Count > RequestSpace.MaxRequests)
        {
            problem = AgreementDiagnosticCodes.DiffTooLarge.Error($"comparing the versions would decide {space.Count.ToString("N0", CultureInfo.InvariantCulture)} requests, more than the {RequestSpace.MaxRequests.ToString("N0", CultureInfo.InvariantCulture)} a diff decides", null, "compare smaller agreements, or split the agreement's grants across agreements");
            return false;
        }

        var changes = new ClauseChanges();
        changes.Compare(before, after);
        var (grantsMore, widening, narrowing, compared) = Decide(space, before, after);

        // A change whose effect depends on the rest is classed by what the engine found on a request it is about.
        if (widening is not null)
        {
            changes.Implicate(widening, ChangeClass.Widening);
        }

        if (narrowing is not null)
        {
            changes.Implicate(narrowing, ChangeClass.Narrowing);
        }

        diff = new AgreementDiff(changes.All, grantsMore, widening, narrowing, compared);
        return true;
    }

    /// <summary>Decides every request of <paramref name="space"/> with both versions; the first difference each way is the witness.</summary>
    private static (bool GrantsMore, DiffWitness? Widening, DiffWitness? Narrowing, long Compared) Decide(RequestSpace space, Agreement before, Agreement after)
    {
        var old = PolicyIndex.Compile([new PolicyAgreement(before, AgreementDigest.Compute(before))]);
        var @new = PolicyIndex.Compile([new PolicyAgreement(after, AgreementDigest.Compute(after))]);
        DiffWitness? widening = null;
        DiffWitness? narrowing = null;
        long compared = 0;
        foreach (var request in space.Requests())
        {
            compared++;
            var was = old.Decide(in request);
            var now = @new.Decide(in request);
            // A request the old version denies shows a widening more plainly than weaker obligations: keep looking for one.
            if ((widening is null || widening.ObligationsOnly) && now.IsPermit && (!was.IsPermit || (widening is null && !Strictness.AtLeastAsStrict(before, was, after, now, request.Action))))
            {
                widening = new DiffWitness(request, was, now, was.IsPermit);
            }

            if ((narrowing is null || narrowing.ObligationsOnly) && was.IsPermit && (!now.IsPermit || (narrowing is null && !Strictness.AtLeastAsStrict(after, now, before, was, request.Action))))
            {
                narrowing = new DiffWitness(request, was, now, now.IsPermit);
            }

            if (widening is { ObligationsOnly: false } && narrowing is { ObligationsOnly: false })
            {
                break;
            }
        }

        return (widening is not null, widening, narrowing, compared);
    }
}
