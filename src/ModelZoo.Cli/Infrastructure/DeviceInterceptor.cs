namespace ModelZoo.Cli.Infrastructure;

/// <summary>Gives every command with <c>--device</c> the settings' default device (<c>ZOO_DEVICE</c>) when the flag is
/// absent, so the choice is made in one place before any session opens.</summary>
public sealed class DeviceInterceptor(ZooSettings settings) : ICommandInterceptor
{
    /// <inheritdoc />
    public void Intercept(CommandContext context, CommandSettings commandSettings)
    {
        if (commandSettings is IDeviceSettings device && device.Device is null)
        {
            device.Device = settings.Device;
        }
    }
}
