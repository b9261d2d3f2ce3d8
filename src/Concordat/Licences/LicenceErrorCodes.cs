using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// The stable codes of the provenance family for licences and IP: PRV510x SPDX licence expressions, PRV511x licence
/// compatibility, PRV512x IP classification. docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI and by model registration); see docs/errors.md
public static class LicenceErrorCodes
{
    #region PRV51xx codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    // PRV510x: SPDX licence expressions (SPDX specification, Annex D)
    public static readonly ErrorCode ExpressionMalformed = new("PRV5100", "malformed licence expression", "the text is not an SPDX licence expression: a character, operator or parenthesis is out of place, an operator mixes upper and lower case, or the expression is empty; the place is given", "write an SPDX expression such as `MIT`, `GPL-2.0-or-later WITH Classpath-exception-2.0` or `(MIT OR Apache-2.0) AND CC-BY-4.0`");
    public static readonly ErrorCode UnknownLicence = new("PRV5101", "unknown licence", "an identifier is not on the SPDX licence list the build carries; the help names the closest known identifier", "use an identifier from https://spdx.org/licenses, or name your own licence `LicenseRef-...`");
    public static readonly ErrorCode UnknownException = new("PRV5102", "unknown licence exception", "the identifier after `WITH` is not on the SPDX exceptions list the build carries; the help names the closest known exception", "use an exception from https://spdx.org/licenses/exceptions-index.html, or name your own `AdditionRef-...`");
    public static readonly ErrorCode DeprecatedLicence = new("PRV5103", "deprecated licence identifier", "an identifier is on the SPDX list but deprecated (such as `GPL-2.0`, now `GPL-2.0-only`)", "use the identifier the help names");

    // PRV511x: licence compatibility (docs/design/licences.md)
    public static readonly ErrorCode UseNotPermitted = new("PRV5110", "use not permitted by licence", "an input's licence forbids the model's use (non-commercial or research-only terms with a commercial use)", "train on inputs whose licence permits the use, or change the use");
    public static readonly ErrorCode ModelLicenceIncompatible = new("PRV5111", "model licence incompatible", "an input's licence has share-alike or copyleft terms that the model's licence does not honour (a model trained on an input is an adaptation of it)", "license the model under the input's licence or one its terms allow, or leave the input out");
    public static readonly ErrorCode AdaptationForbidden = new("PRV5112", "adaptation forbidden", "an input's licence forbids adaptations (no-derivatives terms), and a model trained on it is one", "leave the input out, or get an agreement that says the model is not an adaptation");
    public static readonly ErrorCode NoRule = new("PRV5113", "no compatibility rule", "a licence has no row in the compatibility table, so nothing can be said about it: the check fails closed", "use a licence the table of docs/design/licences.md names, or add a row for it");
    public static readonly ErrorCode AgreementLicenceNotAllowed = new("PRV5114", "licence not allowed by agreement", "the agreement lists the licences allowed (`intellectualProperty.thirdPartyLicences`), and an input's licence is not among them", "use a licence the agreement allows, or amend the agreement");
    public static readonly ErrorCode AttributionMissing = new("PRV5115", "attribution text missing", "an input's licence requires attribution, but neither the input nor its agreement gives the text to show", "give the input's attribution text (the licensor and the work), or set `publication.attribution` in the agreement");
    public static readonly ErrorCode LicenceMissing = new("PRV5116", "licence missing", "an input has no licence expression, and its agreement's dataset tags give none", "tag the dataset with `licence:` in the agreement, or give the input's licence");

    // PRV512x: IP classification
    public static readonly ErrorCode OwnerUndetermined = new("PRV5120", "owner undetermined", "the agreement's IP terms do not say who owns the artifact (no foreground ownership, no named owner, or the party is not in the agreement)", "set `intellectualProperty.foreground` (and `foregroundOwner` for `party`) in the agreement");
    public static readonly ErrorCode BackgroundNotDeclared = new("PRV5121", "background not declared", "an artifact is classified as a party's background IP, but the agreement declares no background IP for that party", "add the party's background to `intellectualProperty.background`, or classify the artifact as foreground");
#pragma warning restore CS1591
    #endregion
}
