namespace Orchestrator.Bench.Tests;

public sealed class BenchmarkDocTests
{
    [Fact]
    public void Update_HandWrittenSection_IsKeptAndOthersRewritten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"benchmarks-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(path, """
                # Benchmarks

                <!-- begin:engine -->
                ## Engine
                old numbers
                <!-- end:engine -->

                <!-- begin:tuning-decisions -->
                ## Tuning decisions
                why host.json keeps what it keeps
                <!-- end:tuning-decisions -->
                """);

            BenchmarkDoc.Update(path, "engine", "## Engine\nnew numbers", Scenarios.Names);

            var text = File.ReadAllText(path);
            Assert.Contains("new numbers", text);
            Assert.DoesNotContain("old numbers", text);
            Assert.Contains("why host.json keeps what it keeps", text);
            Assert.True(text.IndexOf("begin:engine", StringComparison.Ordinal) < text.IndexOf("begin:tuning-decisions", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
