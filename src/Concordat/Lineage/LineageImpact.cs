namespace Concordat.Lineage;

/// <summary>
/// What a dataset version touches: every egress of it, the recipients and tokens they went to, the agreements they
/// left under (with the contacts and breach-notification deadlines those agreements set, when they were given), and
/// every model trained on it, directly or through another model.
/// </summary>
/// <param name="Subject">The dataset version asked about, <c>dataset@version</c>.</param>
/// <param name="DatasetVersion">The version, or <see langword="null"/> when the log (as of its size) has no import of it.</param>
/// <param name="TreeSize">The log size the answer is for.</param>
/// <param name="Egress">Every egress of the version, in log order.</param>
/// <param name="Recipients">The recipients, sorted.</param>
/// <param name="Tokens">The tokens, sorted.</param>
/// <param name="Agreements">The agreements, with their terms when known.</param>
/// <param name="Models">The models touched, each with the input or model that touches it, in the order found.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageImpact(
    string Subject,
    LineageDatasetVersion? DatasetVersion,
    long TreeSize,
    IReadOnlyList<LineageEgress> Egress,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<LineageAgreementTerms> Agreements,
    IReadOnlyList<LineageTouchedModel> Models);

/// <summary>An agreement an egress left under, with what incident response needs from it.</summary>
/// <param name="Agreement">The agreement (id, version, digest); the id and version are <see langword="null"/>-free only when the log names them.</param>
/// <param name="BreachNotificationHours">Hours within which a breach must be notified, when the agreement was given and sets it.</param>
/// <param name="Contacts">The parties' breach contacts (<c>party: contact</c>), when the agreement was given.</param>
public sealed record LineageAgreementTerms(LineageAgreement Agreement, int? BreachNotificationHours, IReadOnlyList<string> Contacts);

/// <summary>A model a dataset version touches, and through what.</summary>
/// <param name="Model">The model.</param>
/// <param name="Via">The egress decision id, dataset version or model name it was trained on that is touched.</param>
public sealed record LineageTouchedModel(LineageModel Model, string Via);
