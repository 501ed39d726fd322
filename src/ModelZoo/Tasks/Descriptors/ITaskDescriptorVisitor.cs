namespace ModelZoo.Tasks;

/// <summary>
/// Recovers the result and options types of an <see cref="ITaskDescriptor"/> held without them: a host keeps its
/// descriptors in one list and, per descriptor, gets back a typed call (<see cref="ITaskDescriptor.Accept{TReturn}"/>).
/// The server builds its typed endpoint this way, the CLI its typed command run.
/// </summary>
/// <typeparam name="TReturn">What the visit produces.</typeparam>
public interface ITaskDescriptorVisitor<out TReturn>
{
    /// <summary>Called with the descriptor at its own types.</summary>
    TReturn Visit<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class;
}
