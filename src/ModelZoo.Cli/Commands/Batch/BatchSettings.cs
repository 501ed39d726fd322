namespace ModelZoo.Cli.Commands.Batch;

/// <summary>Options of the <c>zoo batch</c> commands that talk to the broker.</summary>
public class BatchSettings : ZooCommandSettings
{
    /// <summary>The broker.</summary>
    [CommandOption("--broker <URI>"), Description("RabbitMQ address, e.g. amqp://guest:guest@127.0.0.1:5672/ (default: ZOO_BROKER).")]
    public string? Broker { get; init; }

    /// <summary>The job.</summary>
    [CommandOption("--job <NAME>"), Description("Job name: 1-64 characters of a-z 0-9 . _ - (its queues are zoo.batch.NAME and zoo.batch.NAME.dead).")]
    public string Job { get; init; } = "";

    /// <summary>The broker address from the option or the environment.</summary>
    public string BrokerUri => Broker ?? Environment.GetEnvironmentVariable("ZOO_BROKER")
        ?? throw new ZooUsageException("no broker given; pass --broker amqp://USER:PASS@HOST:5672/ or set ZOO_BROKER.");

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        try
        {
            ModelZoo.Batch.BatchQueues.CheckJob(Job);
        }
        catch (ZooUsageException ex)
        {
            return ValidationResult.Error(ApiFlags.ToFlags(ex.Message));
        }
        return base.Validate();
    }
}
