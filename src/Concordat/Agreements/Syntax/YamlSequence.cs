using Concordat.Core;

namespace Concordat.Agreements.Syntax;

/// <summary>
/// A sequence; items that could not be read (aliases, nodes nested too deep) were reported and left out.
/// </summary>
internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, SourceSpan Span) : YamlNode(Span)
{
    /// <inheritdoc/>
    public override string Describe() => "a sequence";
}
