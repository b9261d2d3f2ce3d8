namespace Concordat.Agreements.Signatures;

/// <summary>
/// Works out where an agreement stands at an instant: draft, partly signed, not yet in effect, in force, expired,
/// terminated or superseded.
/// </summary>
/// <remarks>
/// In force means: every party and approver has a valid signature against pinned keys; the instant is inside the
/// effective window (from inclusive, until exclusive); no valid termination record has taken effect; and no newer
/// version of the same agreement id among <c>others</c> is itself fully signed, inside its window and not
/// terminated. Pure: the instant is given, never read from a clock.
/// </remarks>
public static class AgreementStatusEvaluator
{
    /// <summary>Evaluates the status of <paramref name="subject"/> at <paramref name="at"/>.</summary>
    /// <param name="subject">The agreement with its signatures and termination record.</param>
    /// <param name="others">Other agreements given alongside, which may supersede it (the subject may be among them).</param>
    /// <param name="trusted">The pinned keys.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The status.</returns>
    public static AgreementStatus Evaluate(SignedAgreement subject, IReadOnlyList<SignedAgreement> others, TrustedKeys trusted, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(others);
        var (state, verification, terminatedAt, diagnostics) = OwnState(subject, trusted, at);
        int? supersededBy = null;
        if (state == AgreementState.InForce)
        {
            supersededBy = others
                .Where(o => o.Agreement.Id == subject.Agreement.Id && o.Agreement.Version > subject.Agreement.Version)
                .Where(o => OwnState(o, trusted, at).State == AgreementState.InForce)
                .Select(o => (int?)o.Agreement.Version)
                .Max();
            if (supersededBy is not null)
            {
                state = AgreementState.Superseded;
            }
        }

        return new AgreementStatus(state, subject.Agreement.Id, subject.Agreement.Version, verification.Digest, at, verification.Missing, terminatedAt, supersededBy, verification, diagnostics);
    }

    private static (AgreementState State, AgreementVerification Verification, DateTimeOffset? TerminatedAt, List<Core.Diagnostic> Diagnostics) OwnState(SignedAgreement subject, TrustedKeys trusted, DateTimeOffset at)
    {
        var agreement = subject.Agreement;
        var verification = AgreementVerifier.Verify(agreement, subject.Signatures, trusted);
        var diagnostics = verification.Diagnostics.ToList();
        DateTimeOffset? terminatedAt = null;
        if (subject.Termination is { } termination)
        {
            if (TerminationFile.Check(termination, agreement, trusted) is { } problem)
            {
                diagnostics.Add(problem);
            }
            else
            {
                terminatedAt = termination.EffectiveAt;
            }
        }

        AgreementState state;
        if (!verification.IsFullySigned)
        {
            state = verification.Signers.Any(s => s.HasValidSignature) ? AgreementState.PartlySigned : AgreementState.Draft;
        }
        else if (terminatedAt is { } ended && at >= ended)
        {
            state = AgreementState.Terminated;
        }
        else if (agreement.Effective.Until is { } until && at >= until)
        {
            state = AgreementState.Expired;
        }
        else if (at < agreement.Effective.From)
        {
            state = AgreementState.NotYetInEffect;
        }
        else
        {
            state = AgreementState.InForce;
        }

        return (state, verification, terminatedAt, diagnostics);
    }
}
