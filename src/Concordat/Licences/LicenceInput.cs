using Concordat.Agreements;

namespace Concordat.Licences;

/// <summary>
/// One input a model was trained on, as the licence check sees it.
/// </summary>
/// <param name="Name">How messages name the input (a dataset version, an egress receipt, a model).</param>
/// <param name="Licence">The input's SPDX licence expression; <see langword="null"/> to take the one its agreement's dataset tags give.</param>
/// <param name="Agreement">The agreement it was obtained under, when there is one.</param>
/// <param name="Dataset">The agreement's dataset it comes from, when there is one.</param>
/// <param name="Attribution">The credit the input's licence asks for (the licensor and the work), when it is known.</param>
public sealed record LicenceInput(string Name, string? Licence, Agreement? Agreement = null, DatasetId? Dataset = null, string? Attribution = null)
{
    /// <summary>Gets a value indicating whether a model trained on the input is an adaptation of it.</summary>
    /// <value><see langword="true"/>: the policy of docs/design/licences.md; set <see langword="false"/> only where the agreement says otherwise.</value>
    public bool IsAdaptation { get; init; } = true;
}
