using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx;

namespace ModelZoo.Cli.Commands;

/// <summary>What the <c>zoo import</c> commands print and write, the same for every source format.</summary>
internal static class ImportReport
{
    /// <summary>Lists each operator no converter translates, with every node that uses it; <paramref name="unit"/> is
    /// what a node is called in the source format ("node", "operator").</summary>
    public static void WriteUnsupported(ZooContext context, IEnumerable<UnsupportedNode> nodes, string unit)
    {
        foreach (var group in nodes.GroupBy(n => n.Op, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var reasons = string.Join("; ", group.Select(n => n.Reason).Distinct(StringComparer.Ordinal));
            context.Console.MarkupLine($"[bold red]{Markup.Escape(group.Key)}[/] ({group.Count()} {unit}(s): {Markup.Escape(reasons)})");
            foreach (var node in group)
            {
                context.Console.MarkupLine($"    [grey]{Markup.Escape(node.Node)}[/]");
            }
        }
    }

    /// <summary>Lists the untranslatable operators, then prints the error line <paramref name="error"/> (which says that
    /// nothing was written and what to do); the exit code, 1.</summary>
    public static int Refuse(ZooContext context, IEnumerable<UnsupportedNode> nodes, string unit, string error)
    {
        WriteUnsupported(context, nodes, unit);
        context.Status.MarkupLine($"[bold red]error:[/] {error}");
        return 1;
    }

    /// <summary>Prints the closing line of a translation: what was read (<paramref name="read"/>, markup), the ONNX
    /// nodes written, opset, time and target.</summary>
    public static void WriteDone(ZooContext context, string read, OnnxModel model, int opset, TimeSpan elapsed, string target) =>
        context.Console.MarkupLine(
            $"[green]ok[/] {read} → {model.NodeCount} ONNX nodes " +
            $"(opset {opset}) in {elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms " +
            $"[grey]→ {Markup.Escape(target)}[/]");

    /// <summary>Runs an importer: when it refuses the model (<typeparamref name="TRefusal"/>, which lists the
    /// operators no converter translates) the exit code of <paramref name="refuse"/>, else that of
    /// <paramref name="publish"/> on its result.</summary>
    public static int Translate<TResult, TRefusal>(Func<TResult> import, Func<TRefusal, int> refuse, Func<TResult, int> publish)
        where TRefusal : Exception
    {
        TResult result;
        try
        {
            result = import();
        }
        catch (TRefusal ex)
        {
            return refuse(ex);
        }
        return publish(result);
    }

    /// <summary>Saves a translated model to <paramref name="target"/> and prints its report: the source model's
    /// operator counts (<paramref name="source"/>: what an operator is called, the count column, the counts), the ONNX
    /// summary and the closing line; the exit code, 0. A translated catalog model (<see cref="DescribeKnown"/>) carries its
    /// card's description.</summary>
    public static int Publish(ZooContext context, string sourcePath, OnnxModel model, string target, ImportDescription? description,
        (string Kind, string CountColumn, IEnumerable<KeyValuePair<string, int>> Counts) source, string read, int opset, TimeSpan elapsed)
    {
        var known = DescribeKnown(context, sourcePath, model);
        if (description is not null)
        {
            Describe(context, model, target, description, known);
        }
        Save(model, target);
        WriteCounts(context, source.Kind, source.CountColumn, source.Counts);
        WriteOnnxSummary(context, model);
        WriteDone(context, read, model, opset, elapsed, target);
        return 0;
    }

    /// <summary>
    /// When the imported file is a catalog card's own (<see cref="LocalModelCards.CatalogTwin"/>: a package's TFJS or
    /// TFLite model), writes that card's task, input, output and labels into the translation, so that the .onnx runs
    /// as the card does with no flags.
    /// </summary>
    private static ModelTask? DescribeKnown(ZooContext context, string sourcePath, OnnxModel model)
    {
        if (LocalModelCards.CatalogTwin(context.Catalog, sourcePath, null) is not { Input: { PreprocessGraph: null } input } twin)
        {
            return null;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(sourcePath))!;
        var labels = twin.Labels is { } spec ? LabelSets.Load(spec, name => Path.Combine(folder, name)) : null;
        EmbeddedModelDescription.Write(model.Metadata, twin.Task, input, twin.Output, labels, twin.Labels?.Offset ?? 0, twin.License);
        context.Console.MarkupLine(
            $"[grey]known model:[/] the file of {Markup.Escape(twin.Handle)}; the .onnx carries its card's input, output, labels and licence ({Markup.Escape(twin.License.Spdx)})");
        return twin.Task;
    }

    /// <summary>
    /// Writes the description the flags give (<paramref name="description"/>, over what a known source already wrote)
    /// into the translation: the card <c>zoo card new</c> would infer for the .onnx with those flags, so that the file
    /// runs and serves with none. Nothing is written when the flags do not describe a runnable model.
    /// </summary>
    private static void Describe(ZooContext context, OnnxModel model, string target, ImportDescription description, ModelTask? known)
    {
        var task = description.Task ?? known ?? throw new ZooUsageException(
            "--labels, --mean, --std, --size, --decoder and --license describe the imported model for a task; add --task TASK (e.g. --task image-classification). Nothing was written.");
        // Inferred from the translated graph as a model file would be, through a copy beside the target.
        var draft = Path.Combine(Path.GetDirectoryName(target)!,
            Path.GetFileNameWithoutExtension(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".describe.onnx");
        ModelCard card;
        IReadOnlyList<string> assumed;
        try
        {
            Save(model, draft);
            (card, assumed) = LocalModelCards.Infer(draft, task, description.Options, context.Settings);
        }
        catch (ZooException ex) when (ex.Message.Contains(draft, StringComparison.Ordinal))
        {
            // The user knows the file by the name it is about to have.
            var message = ex.Message.Replace(draft, target, StringComparison.Ordinal) + " Nothing was written.";
            throw ex is ZooUsageException ? new ZooUsageException(message) : new ZooException(ex.Code, message, ex);
        }
        finally
        {
            File.Delete(draft);
        }
        var labels = card.Labels is { } spec
            ? LabelSets.Load(spec, name => card.Files.First(f => f.Name == name).Source["file:".Length..])
            : null;
        // The card's licence is the flag's, else what the translation already carried; NOASSERTION is not written.
        var license = card.License.Spdx == "NOASSERTION" ? null : card.License;
        EmbeddedModelDescription.Write(model.Metadata, task, card.Input!, card.Output, labels, card.Labels?.Offset ?? 0, license);
        foreach (var note in assumed)
        {
            context.Status.MarkupLine($"[grey]assumed:[/] {Markup.Escape(note.Replace(draft, target, StringComparison.Ordinal))}");
        }
        context.Console.MarkupLine($"[grey]described:[/] {Formatting.TaskName(task)}; the .onnx runs with no flags (`zoo info {Markup.Escape(target)}`)");
    }

    /// <summary>Saves <paramref name="model"/> to <paramref name="target"/>, creating its folder.</summary>
    public static void Save(OnnxModel model, string target)
    {
        var directory = Path.GetDirectoryName(target);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        model.Save(target);
    }

    /// <summary>Prints a two-column table of the source model's operator (or layer) counts.</summary>
    public static void WriteCounts(ZooContext context, string kind, string countColumn, IEnumerable<KeyValuePair<string, int>> counts)
    {
        var table = new Table().AddColumn(kind).AddColumn(new TableColumn(countColumn).RightAligned());
        foreach (var (name, count) in counts)
        {
            table.AddRow(Markup.Escape(name), count.ToString(CultureInfo.InvariantCulture));
        }
        context.Console.Write(table);
    }

    /// <summary>Prints the translated model's ONNX operator counts, its inputs with their shapes and its outputs.</summary>
    public static void WriteOnnxSummary(ZooContext context, OnnxModel model)
    {
        var onnx = string.Join(", ", model.OperatorCounts.Select(kv => $"{kv.Key} {kv.Value}"));
        context.Console.MarkupLine($"ONNX operators: [grey]{Markup.Escape(onnx)}[/]");
        var inputs = string.Join(", ", model.Inputs.Select(i => $"{i.Name} {i.ElementType}[{string.Join(",", i.Shape.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? d.Symbol ?? "?"))}]"));
        context.Console.MarkupLine($"inputs: {Markup.Escape(inputs)}");
        context.Console.MarkupLine($"outputs: {Markup.Escape(string.Join(", ", model.Outputs.Select(o => o.Name)))}");
    }
}
