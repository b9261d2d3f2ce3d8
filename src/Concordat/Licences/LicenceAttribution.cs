namespace Concordat.Licences;

/// <summary>
/// One credit a model MUST carry: for an input, because of its licence or its agreement.
/// </summary>
/// <param name="Input">The input's name.</param>
/// <param name="Source">Why: <c>licence `CC-BY-4.0`</c>, or <c>agreement `acme-2025`: `publication.attribution`</c>.</param>
/// <param name="Text">The credit to show; <see langword="null"/> when nobody gave it (the check then warns).</param>
// CAUTION: public format (the CLI's JSON output, model attestations); see docs/design/licences.md
public sealed record LicenceAttribution(string Input, string Source, string? Text);
