using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Concordat.Agreements;
using Concordat.Data.Datasets;

namespace Concordat.Data.Aggregates;

/// <summary>
/// A filter bound to a stored field: numbers compare as numbers, booleans by equality only, and every other type by
/// ordinal comparison of its UTF-8 text (which orders ISO dates and date-times by time). A null value never passes.
/// </summary>
internal sealed class CompiledFilter
{
    private readonly int _sourceIndex;
    private readonly FilterOperator _operator;
    private readonly decimal[]? _numbers;
    private readonly byte[][] _texts;

    private CompiledFilter(int sourceIndex, FilterOperator op, decimal[]? numbers, byte[][] texts)
    {
        _sourceIndex = sourceIndex;
        _operator = op;
        _numbers = numbers;
        _texts = texts;
    }

    public static bool TryCreate(int sourceIndex, FieldType type, AggregateFilter filter, [NotNullWhen(true)] out CompiledFilter? compiled, [NotNullWhen(false)] out string? problem)
    {
        compiled = null;
        problem = null;
        decimal[]? numbers = null;
        if (type is FieldType.Integer or FieldType.Decimal)
        {
            numbers = new decimal[filter.Values.Count];
            for (var i = 0; i < numbers.Length; i++)
            {
                if (!decimal.TryParse(filter.Values[i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    problem = $"`{filter.Values[i]}` is not a number, and field `{filter.Field}` is one";
                    return false;
                }
            }
        }
        else if (type == FieldType.Boolean)
        {
            if (filter.Operator is not (FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.In) || filter.Values.Any(v => v is not ("true" or "false")))
            {
                problem = $"field `{filter.Field}` is a boolean: compare it with `=`, `!=` or `in` to `true` or `false`";
                return false;
            }
        }

        compiled = new CompiledFilter(sourceIndex, filter.Operator, numbers, [.. filter.Values.Select(Encoding.UTF8.GetBytes)]);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(DatasetRowReader rows)
    {
        if (rows.IsNull(_sourceIndex))
        {
            return false;
        }

        return Matches(rows.GetValue(_sourceIndex));
    }

    /// <summary>Gets the index of the stored field the filter reads.</summary>
    public int SourceIndex => _sourceIndex;

    /// <summary>Whether a value that is not null passes; the columnar path asks once per distinct value.</summary>
    public bool Matches(ReadOnlySpan<byte> stored)
    {
        if (_numbers is not null)
        {
            if (!Utf8Parser.TryParse(stored, out decimal value, out var consumed) || consumed != stored.Length)
            {
                return false;
            }

            return _operator switch
            {
                FilterOperator.In => Array.IndexOf(_numbers, value) >= 0,
                FilterOperator.Between => value >= _numbers[0] && value <= _numbers[1],
                _ => Holds(value.CompareTo(_numbers[0])),
            };
        }

        return _operator switch
        {
            FilterOperator.In => IsAmong(stored),
            FilterOperator.Between => stored.SequenceCompareTo(_texts[0]) >= 0 && stored.SequenceCompareTo(_texts[1]) <= 0,
            _ => Holds(stored.SequenceCompareTo(_texts[0])),
        };
    }

    private bool IsAmong(ReadOnlySpan<byte> stored)
    {
        foreach (var text in _texts)
        {
            if (stored.SequenceEqual(text))
            {
                return true;
            }
        }

        return false;
    }

    private bool Holds(int comparison) => _operator switch
    {
        FilterOperator.Equal => comparison == 0,
        FilterOperator.NotEqual => comparison != 0,
        FilterOperator.Less => comparison < 0,
        FilterOperator.LessOrEqual => comparison <= 0,
        FilterOperator.Greater => comparison > 0,
        _ => comparison >= 0,
    };
}
