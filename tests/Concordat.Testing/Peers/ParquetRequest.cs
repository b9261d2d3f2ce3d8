namespace Concordat.Testing.Peers;

/// <summary>One HTTP request a reader made while reading a file through a URL.</summary>
/// <param name="Method">The method.</param>
/// <param name="Range">The <c>Range</c> header, if any.</param>
/// <param name="Status">The answer's status code.</param>
public sealed record ParquetRequest(string Method, string? Range, int Status);
