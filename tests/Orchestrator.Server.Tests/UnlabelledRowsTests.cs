using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Rows without the label are data, not defects, through HTTP on real data: seattle-weather's first 400 rows with the
/// label blanked on 28 of them (7 %, over the default 5 % rejected share that refused this upload before).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UnlabelledRowsTests(ServerFixture server)
{
    private static byte[] Fixture => File.ReadAllBytes(Path.Combine(AzuriteFixture.RepoRoot, "tests", "Orchestrator.Workflows.Tests", "Fixtures", "seattle-weather-unlabelled.csv"));

    private static JsonElement Rule(JsonElement version, string rule) =>
        version.GetProperty("report").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == rule);

    [Fact]
    public async Task Upload_SevenPercentUnlabelled_ReadyAndTheRunTrainsOnLabelledRowsOnly()
    {
        await server.PutProjectAsync("de-unlabelled", ServerFixture.QuickWeatherProject("sme@example.com"));

        var version = await server.UploadReadyAsync("/api/projects/de-unlabelled/datasets/weather", Fixture, "text/csv");

        Assert.Equal((400, 400, 0), (version.GetProperty("rowsIn").GetInt32(), version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var label = version.GetProperty("report").GetProperty("profiles").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "weather");
        Assert.Equal((28, 0.07), (label.GetProperty("nulls").GetInt32(), Math.Round(label.GetProperty("nullShare").GetDouble(), 4)));
        var labelled = Rule(version, "labelled(weather)");
        Assert.True(labelled.GetProperty("passed").GetBoolean());
        Assert.Contains("372 of 400 curated rows have the label 'weather'; 28", labelled.GetProperty("detail").GetString());

        var runId = await server.StartRunAsync("de-unlabelled");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.True(run.GetProperty("status").GetString() == "AwaitingApproval", run.ToString());

        var rows = run.GetProperty("trainingRows");
        Assert.Equal((372, 28), (rows.GetProperty("labelled").GetInt32(), rows.GetProperty("unlabelled").GetInt32()));
        Assert.StartsWith("28 of 400 rows (7.0 %) have no value for the label 'weather'", rows.GetProperty("reason").GetString());

        // The trial trained and was tested on labelled rows only: its test set (about a fifth) holds none without a label.
        var trial = await server.GetJsonAsync($"/api/trials/{runId}.{run.GetProperty("best").GetProperty("trialId").GetString()}");
        Assert.Equal(rows.ToString(), trial.GetProperty("trainingRows").ToString());
        var matrix = trial.GetProperty("confusionMatrix");
        Assert.DoesNotContain(matrix.GetProperty("classes").EnumerateArray(), c => string.IsNullOrEmpty(c.GetString()));
        var tested = matrix.GetProperty("counts").EnumerateArray().Sum(r => r.EnumerateArray().Sum(c => c.GetDouble()));
        Assert.InRange(tested, 0.1 * 372, 0.3 * 372);

        var card = await server.GetJsonAsync($"/api/runs/{runId}/model-card");
        Assert.Equal((400, 372), (card.GetProperty("rowsIn").GetInt32(), card.GetProperty("rowsUsed").GetInt32()));
        Assert.Equal(rows.ToString(), card.GetProperty("trainingRows").ToString());
    }

    [Fact]
    public async Task SecondVersion_FirstFullyLabelled_UnlabelledRowsStillKept()
    {
        // The first version has every label, so the expectations it teaches say weather is never empty; for the label
        // that lesson does not hold: only the owner's declaration makes it required.
        await server.PutProjectAsync("de-unlabelled-v2", ServerFixture.QuickWeatherProject("sme@example.com"));
        await server.UploadWeatherAsync("de-unlabelled-v2");
        var dataset = await server.GetJsonAsync("/api/projects/de-unlabelled-v2/datasets/weather");
        Assert.True(dataset.GetProperty("inferredExpectations").GetProperty("columns").GetProperty("weather").GetProperty("notNull").GetBoolean());

        var second = await server.UploadReadyAsync("/api/projects/de-unlabelled-v2/datasets/weather", Fixture, "text/csv");

        Assert.Equal((2, 400, 0), (second.GetProperty("version").GetInt32(), second.GetProperty("rowsOut").GetInt32(), second.GetProperty("rowsQuarantined").GetInt32()));
    }

    [Fact]
    public async Task Run_NoRowLabelled_TrialFailsSayingThereIsNothingToTrainOn()
    {
        await server.PutProjectAsync("de-no-labels", ServerFixture.QuickWeatherProject("sme@example.com"));
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-no-labels/datasets/weather",
            new { expectations = new { columns = new Dictionary<string, object> { ["weather"] = new { maxNullShare = 1 } } } });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var lines = File.ReadAllLines(ServerFixture.SeattleWeatherCsv).Take(51).Select((l, i) => i == 0 ? l : l[..(l.LastIndexOf(',') + 1)]);
        await server.UploadReadyAsync("/api/projects/de-no-labels/datasets/weather", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "text/csv");

        var runId = await server.StartRunAsync("de-no-labels");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Contains("has a value for the label 'weather' (50 rows, none labelled): there is nothing to train on", run.GetProperty("error").GetString());
        Assert.Equal((0, 50), (run.GetProperty("trainingRows").GetProperty("labelled").GetInt32(), run.GetProperty("trainingRows").GetProperty("unlabelled").GetInt32()));
    }

    [Fact]
    public async Task Upload_LabelDeclaredNotNull_UnlabelledRowsQuarantinedAsBefore()
    {
        await server.PutProjectAsync("de-label-required", ServerFixture.QuickWeatherProject("sme@example.com"));
        var strict = new { expectations = new { columns = new Dictionary<string, object> { ["weather"] = new { notNull = true } } } };
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-label-required/datasets/weather", strict);
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());

        using var content = new ByteArrayContent(Fixture);
        content.Headers.ContentType = new("text/csv");
        var response = await server.Http.PostAsync("/api/projects/de-label-required/datasets/weather", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString();
        Assert.Contains("maxRejectedShare", detail);
        Assert.Contains("28 of 400 rows rejected", detail);
        Assert.Contains("the label is missing", detail);

        // With room for them in the rejected share, the same rows go to quarantine, each with the reason.
        var tolerant = new { expectations = new { maxRejectedShare = 0.1, columns = new Dictionary<string, object> { ["weather"] = new { notNull = true } } } };
        patch = await server.Http.PatchAsJsonAsync("/api/projects/de-label-required/datasets/weather-tolerant", tolerant);
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var version = await server.UploadReadyAsync("/api/projects/de-label-required/datasets/weather-tolerant", Fixture, "text/csv");
        Assert.Equal((400, 372, 28), (version.GetProperty("rowsIn").GetInt32(), version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var quarantine = (await server.Http.GetStringAsync("/api/projects/de-label-required/datasets/weather-tolerant/versions/1/quarantine"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, 28).Select(i => i * 14), quarantine.Select(q => q.GetProperty("row").GetInt32()));
        Assert.All(quarantine, q => Assert.Equal("the label is missing", q.GetProperty("reasons")[0].GetProperty("reason").GetString()));
        Assert.StartsWith("every curated row has the label", Rule(version, "labelled(weather)").GetProperty("detail").GetString());
    }
}
