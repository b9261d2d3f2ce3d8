namespace Concordat.Gateway.Egress;

/// <summary>
/// The format rows leave in.
/// </summary>
internal enum EgressFormat
{
    /// <summary>RFC 4180 CSV (<c>text/csv</c>): a header record, CRLF record ends, fields quoted only when needed.</summary>
    Csv,

    /// <summary>Newline-delimited JSON (<c>application/x-ndjson</c>): one object per row, LF line ends.</summary>
    Ndjson,
}
