using Concordat.Core;

namespace Concordat.Agreements.Syntax;

/// <summary>
/// A node of the YAML syntax tree, with the span it came from. Spans ride along for diagnostics only.
/// </summary>
internal abstract record YamlNode(SourceSpan Span)
{
    /// <summary>Gets what the node is, in the words of a message: a string, an integer, a mapping, ...</summary>
    public abstract string Describe();
}
