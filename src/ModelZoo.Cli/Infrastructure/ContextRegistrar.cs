namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// The smallest type registrar Spectre.Console.Cli needs: commands get the one <see cref="ZooContext"/>
/// through their constructor; Spectre's own services are created from their registrations, and a request for
/// <c>IEnumerable&lt;T&gt;</c> yields every registration of <c>T</c>.
/// </summary>
internal sealed class ContextRegistrar : ITypeRegistrar
{
    private readonly Dictionary<Type, List<Func<object>>> _factories = [];

    public ContextRegistrar(ZooContext context) => RegisterInstance(typeof(ZooContext), context);

    public void Register(Type service, Type implementation) => Add(service, () => Create(implementation));

    public void RegisterInstance(Type service, object implementation) => Add(service, () => implementation);

    public void RegisterLazy(Type service, Func<object> factory)
    {
        var lazy = new Lazy<object>(factory);
        Add(service, () => lazy.Value);
    }

    public ITypeResolver Build() => new Resolver(this);

    private void Add(Type service, Func<object> factory)
    {
        if (!_factories.TryGetValue(service, out var list))
        {
            _factories[service] = list = [];
        }
        list.Add(factory);
    }

    private object? Resolve(Type type)
    {
        if (_factories.TryGetValue(type, out var list) && list.Count > 0)
        {
            return list[^1]();
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var element = type.GetGenericArguments()[0];
            var items = _factories.TryGetValue(element, out var all) ? all.Select(f => f()).ToArray() : [];
            var array = Array.CreateInstance(element, items.Length);
            Array.Copy(items, array, items.Length);
            return array;
        }
        return type.IsAbstract || type.IsInterface ? null : Create(type);
    }

    private object Create(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters()
            .Select(p => Resolve(p.ParameterType) ?? throw new InvalidOperationException($"cannot resolve {p.ParameterType} for {type}"))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private sealed class Resolver(ContextRegistrar owner) : ITypeResolver
    {
        public object? Resolve(Type? type) => type is null ? null : owner.Resolve(type);
    }
}
