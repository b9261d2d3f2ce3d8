namespace Concordat.Licences;

/// <summary>
/// What the licence check of a model is asked: the model's licence and use, and every input it was trained on.
/// </summary>
/// <param name="ModelLicence">The model's SPDX licence expression.</param>
/// <param name="Use">What the model is for.</param>
/// <param name="Inputs">The inputs it was trained on.</param>
public sealed record LicenceCheckRequest(string ModelLicence, ModelUse Use, IReadOnlyList<LicenceInput> Inputs);
