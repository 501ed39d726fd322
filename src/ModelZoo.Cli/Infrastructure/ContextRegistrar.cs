using Spectre.Console.Cli;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// The smallest type registrar Spectre.Console.Cli needs: commands get the one <see cref="ZooContext"/>
/// through their constructor; everything else is created with its parameterless constructor.
/// </summary>
internal sealed class ContextRegistrar(ZooContext context) : ITypeRegistrar
{
    private readonly Dictionary<Type, Func<object>> _factories = new() { [typeof(ZooContext)] = () => context };

    public void Register(Type service, Type implementation) =>
        _factories[service] = () => Create(implementation);

    public void RegisterInstance(Type service, object implementation) => _factories[service] = () => implementation;

    public void RegisterLazy(Type service, Func<object> factory) => _factories[service] = factory;

    public ITypeResolver Build() => new Resolver(this);

    private object Create(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters()
            .Select(p => _factories.TryGetValue(p.ParameterType, out var factory)
                ? factory()
                : throw new InvalidOperationException($"cannot resolve {p.ParameterType} for {type}"))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private sealed class Resolver(ContextRegistrar owner) : ITypeResolver
    {
        public object? Resolve(Type? type)
        {
            if (type is null)
            {
                return null;
            }
            if (owner._factories.TryGetValue(type, out var factory))
            {
                return factory();
            }
            return type.IsAbstract || type.IsInterface ? null : owner.Create(type);
        }
    }
}
