namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Reads an option whose value is one of an enum's members, written in lower case on the command line
/// (<c>--head mlp</c> for <c>HeadKind.Mlp</c>), so that the enum is the one list of valid values: parsing, the error
/// for a wrong value and the names printed back all come from it. Unlike Spectre's default enum conversion it refuses
/// numbers and other casings, as the string options it replaces did.
/// </summary>
/// <typeparam name="TEnum">The option's type.</typeparam>
public sealed class ChoiceConverter<TEnum> : TypeConverter
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();

    /// <summary>The command-line name of <paramref name="value"/>: its member name in lower case.</summary>
    public static string NameOf(TEnum value) => value.ToString().ToLowerInvariant();

    /// <summary>The valid names as a sentence: <c>none, light or strong</c>.</summary>
    public static string Choices
    {
        get
        {
            var names = Values.Select(NameOf).ToArray();
            return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
        }
    }

    /// <summary>Parses a command-line name.</summary>
    /// <exception cref="ChoiceException">Not the name of a member.</exception>
    public static TEnum Parse(string text)
    {
        foreach (var value in Values)
        {
            if (string.Equals(NameOf(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }
        throw new ChoiceException(text, Choices);
    }

    /// <summary>The value of a required option.</summary>
    /// <exception cref="ZooUsageException">The option was not given.</exception>
    public static TEnum Required(TEnum? value, string option) =>
        value ?? throw new ZooUsageException($"{option} must be {Choices}; give one with {option} NAME.");

    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc />
    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        Parse(value as string ?? "");

    /// <inheritdoc />
    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) => destinationType == typeof(string);

    /// <inheritdoc />
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is TEnum member ? NameOf(member) : base.ConvertTo(context, culture, value, destinationType);
}
