using System.Diagnostics;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Progress for a console that is not a terminal (a pipe, a log file, CI): a line when the work starts, one each
/// time another tenth is done, and one when it ends; nothing is redrawn, so a log stays short and readable.
/// </summary>
public sealed class PlainProgress
{
    private readonly IAnsiConsole _console;
    private readonly string _label;
    private readonly long _total;
    private readonly Func<long, string> _amount;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _tenths;
    private bool _finished;

    /// <summary>Starts the progress of <paramref name="label"/> over <paramref name="total"/> units, printing the start line;
    /// <paramref name="amount"/> formats a count of units (e.g. "3.2 MB", "4 images").</summary>
    public PlainProgress(IAnsiConsole console, string label, long total, Func<long, string> amount)
    {
        _console = console;
        _label = label;
        _total = Math.Max(1, total);
        _amount = amount;
        Write($"started ({amount(total)})");
    }

    /// <summary>Whether progress on <paramref name="console"/> should be plain lines rather than live bars.</summary>
    public static bool IsNeeded(IAnsiConsole console) => !console.Profile.Capabilities.Interactive || !console.Profile.Capabilities.Ansi;

    /// <summary>Reports <paramref name="done"/> units finished so far; prints a line when another tenth is complete.</summary>
    public void Report(long done)
    {
        lock (_clock)
        {
            var tenths = (int)Math.Min(10, done * 10 / _total);
            if (tenths > _tenths && tenths < 10 && !_finished)
            {
                _tenths = tenths;
                Write(string.Create(CultureInfo.InvariantCulture, $"{tenths * 10}% ({_amount(done)} of {_amount(_total)})"));
            }
        }
    }

    /// <summary>Prints the closing line (once).</summary>
    public void Done()
    {
        lock (_clock)
        {
            if (_finished)
            {
                return;
            }
            _finished = true;
            Write(string.Create(CultureInfo.InvariantCulture, $"done ({_amount(_total)} in {_clock.Elapsed.TotalSeconds:0.0} s)"));
        }
    }

    private void Write(string text) => _console.MarkupLine($"{Markup.Escape(_label)}: {Markup.Escape(text)}");
}
