namespace Orchestrator.Workflows.Tests;

/// <summary>Locates sample data: vega-datasets installed by infra/local/setup.sh, and this project's fixtures.</summary>
internal static class TestData
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Orchestrator.sln not found above the test output.");
        }
    }

    public static string VegaDataset(string name)
    {
        var path = Path.Combine(RepoRoot, "infra", "local", "node_modules", "vega-datasets", "data", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run infra/local/setup.sh (./test.sh does).", path);
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
