using System.Text.Json;

namespace Orchestrator.Bench.Tests;

/// <summary>
/// The benchmarks host the server in their own process, so they measure it only if that process runs as the server's
/// does: the runtime settings the server's project file chooses are the bench's too.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonElement ConfigProperties(string app)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{app}.runtimeconfig.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
    }

    [Theory]
    [InlineData("Orchestrator.Server")]
    [InlineData("Orchestrator.Bench")]
    public void RuntimeConfig_ServerAndBench_CompileOptimizedAtFirstCallUnderServerGc(string app)
    {
        var properties = ConfigProperties(app);

        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}
