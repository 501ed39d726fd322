namespace ModelZoo.Server.Http;

/// <summary>Endpoint metadata naming a ModelZoo route for metrics (a fixed, low-cardinality label).</summary>
/// <param name="name">The route label, e.g. <c>predict</c>.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ZooRouteAttribute(string name) : Attribute
{
    /// <summary>The route label.</summary>
    public string Name { get; } = name;
}
