namespace ModelZoo.Tasks;

/// <summary>
/// How one image's result reads on a console, independent of any console library: text after the image's heading,
/// then tables, or a note when there is nothing to show. <see cref="TaskDescriptor{TResult, TOptions}.Present"/>
/// builds it; the CLI renders it.
/// </summary>
/// <param name="HeadingSuffix">Appended to the image's heading (e.g. <c>: 2 pose(s)</c>), or null.</param>
/// <param name="Tables">The tables, in order.</param>
/// <param name="Empty">Shown instead of <paramref name="Tables"/> when set.</param>
public sealed record ResultView(string? HeadingSuffix, IReadOnlyList<ResultTable> Tables, ResultNote? Empty = null);
