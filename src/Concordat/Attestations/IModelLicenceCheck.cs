using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>
/// The seam for the licence check of a model registration: is the model's declared licence and use compatible with
/// every input's licence? The SPDX expression parser and the compatibility rule table live in <c>Licences/</c>; until
/// they are wired here, <see cref="ModelRegistrar.NoLicenceCheck"/> passes every input.
/// </summary>
public interface IModelLicenceCheck
{
    /// <summary>Checks one input's licence against the model's.</summary>
    /// <param name="registration">The registration.</param>
    /// <param name="input">The input.</param>
    /// <param name="inputLicence">The input's SPDX licence expression, as its attestation states it; <see langword="null"/> when unknown.</param>
    /// <returns>The problems, naming the clause, the input and the licence; empty when compatible.</returns>
    IReadOnlyList<Diagnostic> Check(ModelRegistration registration, ModelInput input, string? inputLicence);
}
