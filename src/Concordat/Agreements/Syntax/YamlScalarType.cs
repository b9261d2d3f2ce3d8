namespace Concordat.Agreements.Syntax;

/// <summary>
/// The YAML 1.2 core-schema types of a scalar.
/// </summary>
internal enum YamlScalarType
{
    String,
    Null,
    Boolean,
    Integer,
    Float,
}
