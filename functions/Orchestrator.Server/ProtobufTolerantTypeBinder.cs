using DurableTask.AzureStorage;

namespace Orchestrator.Server;

/// <summary>
/// The gRPC sidecar hands the Azure Storage provider sub-orchestration tags as a protobuf <c>MapField&lt;string,string&gt;</c>;
/// the provider writes queue messages with .NET type names and cannot load that type back (it is not in its assemblies),
/// so sub-orchestrations would never start. This binder writes such maps as a plain dictionary, and reads old ones as one.
/// </summary>
public sealed class ProtobufTolerantTypeBinder : ICustomTypeBinder
{
    private const string MapFieldPrefix = "Google.Protobuf.Collections.MapField`2";

    public void BindToName(Type serializedType, out string? assemblyName, out string typeName)
    {
        assemblyName = null;
        typeName = serializedType.IsGenericType && serializedType.FullName?.StartsWith(MapFieldPrefix, StringComparison.Ordinal) == true
            ? typeof(Dictionary<,>).MakeGenericType(serializedType.GetGenericArguments()).FullName!
            : serializedType.FullName!;
    }

    public Type BindToType(string? assemblyName, string typeName) =>
        typeName.StartsWith(MapFieldPrefix, StringComparison.Ordinal)
            ? typeof(Dictionary<string, string>)
            : Type.GetType(typeName, throwOnError: true)!;
}
