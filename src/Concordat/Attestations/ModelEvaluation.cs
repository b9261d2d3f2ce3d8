namespace Concordat.Attestations;

/// <summary>What <see cref="ModelRegistrar.Evaluate"/> found about one registration: every problem, and the statement to sign when none refuses it.</summary>
/// <param name="Problems">Every problem of the inputs, licences and IP, each naming the input and the clause; an error refuses the registration.</param>
/// <param name="Licences">The licence check that ran: the use the model was checked for and the credits it MUST carry.</param>
/// <param name="Ip">The model's IP classification.</param>
/// <param name="Statement">The model's statement, ready to sign; <see langword="null"/> when a problem is an error.</param>
public sealed record ModelEvaluation(IReadOnlyList<Core.Diagnostic> Problems, ModelLicenceCheck Licences, ModelIp Ip, InTotoStatement? Statement)
{
    /// <summary>Gets a value indicating whether a problem refuses the registration (nothing may be signed or recorded).</summary>
    public bool IsRefused => Statement is null;
}
