namespace Concordat.Agreements.Conditions;

/// <summary>Whose attribute a condition reads: the path's root.</summary>
internal enum AttributeSubject
{
    Dataset,
    Recipient,
    Request,
}
