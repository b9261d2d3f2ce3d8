using System.Text;
using Concordat.Agreements;

namespace Concordat.Data.Datasets;

/// <summary>
/// Finds the rows of a data subject in stored rows: those whose entity key (<see cref="DatasetDefinition.ResolvedEntityKey"/>)
/// holds one of the subject's identifiers, compared with the stored text (postcodes are stored in uppercase).
/// </summary>
internal sealed class SubjectRows
{
    private readonly IReadOnlySet<string> _subjects;
    private readonly int _index;

    private SubjectRows(IReadOnlySet<string> subjects, int index) => (_subjects, _index) = (subjects, index);

    /// <summary>Binds the subject to the schema of one stored version; null when the version has no field <paramref name="key"/>.</summary>
    public static SubjectRows? For(IReadOnlyList<DatasetSchemaField> schema, FieldName key, IReadOnlySet<string> subjects)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(subjects);
        for (var i = 0; i < schema.Count; i++)
        {
            if (schema[i].Name == key)
            {
                return new SubjectRows(subjects, i);
            }
        }

        return null;
    }

    /// <summary>Returns whether the reader's current row is about the subject.</summary>
    public bool Matches(DatasetRowReader rows) => !rows.IsNull(_index) && _subjects.Contains(Encoding.UTF8.GetString(rows.GetValue(_index)));
}
