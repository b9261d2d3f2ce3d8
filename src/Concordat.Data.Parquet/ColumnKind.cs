namespace Concordat.Data.Parquet;

/// <summary>How a column's values are held in a written file.</summary>
internal enum ColumnKind
{
    /// <summary>UTF-8 text.</summary>
    Text,

    /// <summary>A decimal number, as the text the rows endpoint sends.</summary>
    DecimalText,

    /// <summary>A 64-bit integer.</summary>
    Long,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>An instant, in microseconds since the epoch, UTC.</summary>
    Timestamp,
}
