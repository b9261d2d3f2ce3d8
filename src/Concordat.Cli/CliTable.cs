using Spectre.Console;

namespace Concordat.Cli;

/// <summary>
/// Lists and reviews as tables: drawn with Spectre.Console on a terminal, plain aligned columns otherwise, so a
/// pipe or a file gets the same facts without box characters or colour.
/// </summary>
internal static class CliTable
{
    /// <summary>The cell of a deadline past due, drawn in red on a terminal.</summary>
    public const string Overdue = "OVERDUE";

    /// <summary>The cell of a breached service level, shown in red on a terminal.</summary>
    public const string Breached = "BREACHED";

    /// <summary>Writes a table of <paramref name="columns"/> with one row per entry of <paramref name="rows"/>.</summary>
    public static void Write(CliContext context, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        if (context.IsTerminal)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in columns)
            {
                table.AddColumn(new TableColumn(Markup.Escape(column)));
            }

            foreach (var row in all)
            {
                // An overdue deadline is loud: red on a terminal (the exit code says it to scripts).
                table.AddRow([.. row.Select(cell => cell is Overdue or Breached ? new Markup($"[bold red]{cell}[/]") : (Spectre.Console.Rendering.IRenderable)new Text(cell))]);
            }

            Console(context).Write(table);
            return;
        }

        var widths = columns.Select((c, i) => Math.Max(c.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToList();
        context.Out.WriteLine(Line(columns, widths));
        foreach (var row in all)
        {
            context.Out.WriteLine(Line(row, widths));
        }
    }

    /// <summary>Runs <paramref name="work"/> under a spinner naming it on a terminal; elsewhere just runs it, so pipes get results only.</summary>
    public static async Task<T> ProgressAsync<T>(CliContext context, string step, Func<Task<T>> work)
    {
        if (!context.IsTerminal)
        {
            return await work().ConfigureAwait(false);
        }

        return await Console(context).Status().StartAsync(Markup.Escape(step) + "...", _ => work()).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a spinner naming it and the count it reports (<c>N entries read</c>) on a
    /// terminal; elsewhere just runs it with no progress, so pipes get results only.
    /// </summary>
    public static async Task<T> ProgressAsync<T>(CliContext context, string step, string unit, Func<IProgress<long>?, Task<T>> work)
    {
        if (!context.IsTerminal)
        {
            return await work(null).ConfigureAwait(false);
        }

        var text = Markup.Escape(step) + "...";
        return await Console(context).Status().StartAsync(text, status => work(new StatusProgress(n => status.Status($"{text} {n:N0} {Markup.Escape(unit)}")))).ConfigureAwait(false);
    }

    private static IAnsiConsole Console(CliContext context) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });

    private static string Line(IReadOnlyList<string> cells, List<int> widths) =>
        string.Join("  ", cells.Select((cell, i) => i == cells.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();

    // Reports on the caller's thread: Progress<T> would post to the thread pool, out of order.
    private sealed class StatusProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
