namespace ModelZoo.Tasks;

/// <summary>One column of a <see cref="ResultTable"/>.</summary>
/// <param name="Header">Column heading.</param>
/// <param name="RightAligned">Numbers are right-aligned.</param>
public sealed record ResultColumn(string Header, bool RightAligned = false);
