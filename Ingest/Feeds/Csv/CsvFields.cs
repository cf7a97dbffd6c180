using System.Text;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>Splits one CSV line into fields (RFC 4180: a quoted field may hold commas and "" for a quote).</summary>
internal static class CsvFields
{
    public const int MaxFields = 16;

    /// <summary>The fields, or null with a reason when quoting is broken or there are too many.</summary>
    public static List<string>? Split(string line, out string? error)
    {
        var fields = new List<string>(6);
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count >= MaxFields)
                {
                    error = $"more than {MaxFields} fields";
                    return null;
                }
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            error = "a quoted field is not closed";
            return null;
        }

        fields.Add(field.ToString());
        error = null;
        return fields;
    }
}
