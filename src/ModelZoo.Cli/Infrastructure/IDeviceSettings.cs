namespace ModelZoo.Cli.Infrastructure;

/// <summary>Settings of a command that takes <c>--device</c>; <see cref="DeviceInterceptor"/> fills it from
/// <c>ZOO_DEVICE</c> when the flag is not given.</summary>
public interface IDeviceSettings
{
    /// <summary>The execution provider the user asked for; null until the flag or ZOO_DEVICE sets it.</summary>
    ExecutionProvider? Device { get; set; }
}
