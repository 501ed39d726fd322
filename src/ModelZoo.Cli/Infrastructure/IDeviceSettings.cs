namespace ModelZoo.Cli.Infrastructure;

/// <summary>Settings of a command that takes <c>--device</c>; <see cref="DeviceInterceptor"/> fills it from
/// <c>ZOO_DEVICE</c> when the flag is not given.</summary>
public interface IDeviceSettings
{
    /// <summary>The device the user asked for (<c>cpu</c> or <c>cuda</c>); null until the flag or ZOO_DEVICE sets it.</summary>
    string? Device { get; set; }
}
