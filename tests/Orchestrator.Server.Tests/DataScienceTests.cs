using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>Hyperparameter search through HTTP: successive halving and Bayesian search as durable fan-out waves, the leaderboard, one trial.</summary>
[Collection(ServerCollection.Name)]
public sealed class DataScienceTests(ServerFixture server)
{
    [Fact]
    public async Task Halving_SixConfigsEtaThree_SecondRungOnAllRowsDecides()
    {
        await server.PutProjectAsync("ds-halving", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.7 } }, approvers = new[] { "sme@example.com" },
            maxParallelTrials = 2,
            searchSpace = new
            {
                strategy = "halving", maxTrials = 6, seed = 3, eta = 3, minBudget = 0.34,
                trainers = new[]
                {
                    new
                    {
                        trainer = "LightGbm",
                        parameters = new Dictionary<string, object>
                        {
                            ["numberOfLeaves"] = new { values = new[] { 4, 8, 16, 31 } },
                            ["learningRate"] = new { min = 0.02, max = 0.3, log = true },
                            ["numberOfIterations"] = new { values = new[] { 30, 60 } },
                        },
                    },
                },
            },
        });
        await server.UploadWeatherAsync("ds-halving");
        var runId = await server.StartRunAsync("ds-halving");

        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
        Assert.Equal((8, 8), (run.GetProperty("progress").GetProperty("trialsTotal").GetInt32(), run.GetProperty("progress").GetProperty("trialsCompleted").GetInt32()));
        var trials = run.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(6, trials.Count(t => t.GetProperty("rung").GetInt32() == 0 && t.GetProperty("budget").GetDouble() == 0.34));
        Assert.Equal(2, trials.Count(t => t.GetProperty("rung").GetInt32() == 1 && t.GetProperty("budget").GetDouble() == 1));
        Assert.Equal(1, trials[0].GetProperty("rung").GetInt32());
        var best = run.GetProperty("best").GetProperty("trialId").GetString()!;
        Assert.EndsWith("-r1", best);

        // The promoted configurations are the best two of the first rung.
        var firstRung = trials.Where(t => t.GetProperty("rung").GetInt32() == 0)
            .OrderByDescending(t => t.GetProperty("metrics").GetProperty("microAccuracy").GetDouble()).ThenBy(t => t.GetProperty("trialId").GetString()).Take(2)
            .Select(t => t.GetProperty("trialId").GetString() + "-r1").Order();
        Assert.Equal(firstRung, trials.Where(t => t.GetProperty("rung").GetInt32() == 1).Select(t => t.GetProperty("trialId").GetString()).Order());

        var sorted = await server.GetJsonAsync($"/api/runs/{runId}/trials?sort=logLoss");
        Assert.Equal("logLoss:asc", sorted.GetProperty("sort").GetString());
        var id = sorted.GetProperty("trials")[0].GetProperty("id").GetString()!;
        var trial = await server.GetJsonAsync($"/api/trials/{id}");
        Assert.Equal(5, trial.GetProperty("confusionMatrix").GetProperty("classes").GetArrayLength());
        Assert.True(trial.GetProperty("modelBytes").GetInt64() > 1000);
        Assert.StartsWith("models/ds-halving/", trial.GetProperty("modelUri").GetString());

        // Each trial says when it ran (the run's timeline), within the run's own lifetime.
        var created = run.GetProperty("createdAt").GetDateTimeOffset();
        foreach (var t in trials)
        {
            var (started, ended) = (t.GetProperty("startedAt").GetDateTimeOffset(), t.GetProperty("endedAt").GetDateTimeOffset());
            Assert.True(created <= started && started <= ended && ended <= run.GetProperty("updatedAt").GetDateTimeOffset(), t.GetProperty("id").GetString());
        }
        Assert.Equal(trial.GetProperty("startedAt").GetDateTimeOffset(), sorted.GetProperty("trials")[0].GetProperty("startedAt").GetDateTimeOffset());

        // The leaderboard pages: the pages together are the whole ranking, in order.
        var first = await server.GetJsonAsync($"/api/runs/{runId}/trials?limit=5");
        var second = await server.GetJsonAsync($"/api/runs/{runId}/trials?limit=5&offset=5");
        Assert.Equal((8, 5, 5), (first.GetProperty("total").GetInt32(), first.GetProperty("trials").GetArrayLength(), first.GetProperty("nextOffset").GetInt32()));
        Assert.Equal((3, JsonValueKind.Null), (second.GetProperty("trials").GetArrayLength(), second.GetProperty("nextOffset").ValueKind));
        Assert.Equal(trials.Select(t => t.GetProperty("id").GetString()),
            first.GetProperty("trials").EnumerateArray().Concat(second.GetProperty("trials").EnumerateArray()).Select(t => t.GetProperty("id").GetString()));

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync($"/api/runs/{runId}/trials?sort=rmse")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/trials/{runId}.t999")).StatusCode);

        // A page polling the run leaves the leaderboard out; progress and the best trial stay.
        var light = await server.GetJsonAsync($"/api/runs/{runId}?trials=false");
        Assert.Equal(0, light.GetProperty("trials").GetArrayLength());
        Assert.Equal(8, light.GetProperty("progress").GetProperty("trialsCompleted").GetInt32());
        Assert.Equal(best, light.GetProperty("best").GetProperty("trialId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync($"/api/runs/{runId}?trials=some")).StatusCode);
    }

    [Fact]
    public async Task Bayesian_EightTrialsTwoStartup_CompletesWithEightTrialsOfTheSpaceAndTheSameAgain()
    {
        await server.PutProjectAsync("ds-bayesian", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.7 } }, approvers = new[] { "sme@example.com" },
            maxParallelTrials = 2,
            searchSpace = new
            {
                strategy = "bayesian", maxTrials = 8, startupTrials = 2, seed = 5,
                trainers = new object[]
                {
                    new
                    {
                        trainer = "LightGbm",
                        parameters = new Dictionary<string, object>
                        {
                            ["numberOfLeaves"] = new { min = 4, max = 32 },
                            ["learningRate"] = new { min = 0.02, max = 0.3, log = true },
                            ["numberOfIterations"] = new { values = new[] { 30, 60 } },
                        },
                    },
                    new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, object> { ["l2Regularization"] = new { min = 0.01, max = 10, log = true } } },
                },
            },
        });
        await server.UploadWeatherAsync("ds-bayesian");
        var runId = await server.StartRunAsync("ds-bayesian");

        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
        Assert.Equal((8, 8), (run.GetProperty("progress").GetProperty("trialsTotal").GetInt32(), run.GetProperty("progress").GetProperty("trialsCompleted").GetInt32()));
        var trials = run.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(["t001", "t002", "t003", "t004", "t005", "t006", "t007", "t008"], trials.Select(t => t.GetProperty("trialId").GetString()).Order());
        Assert.All(trials, t => Assert.Equal("Succeeded", t.GetProperty("status").GetString()));
        Assert.Equal(8, trials.Select(t => t.GetProperty("trainer").GetString() + t.GetProperty("parameters").ToString()).Distinct().Count());
        foreach (var t in trials.Where(t => t.GetProperty("trainer").GetString() == "LightGbm"))
        {
            var p = t.GetProperty("parameters");
            Assert.InRange(p.GetProperty("numberOfLeaves").GetDouble(), 4, 32);
            Assert.InRange(p.GetProperty("learningRate").GetDouble(), 0.02, 0.3);
            Assert.Contains(p.GetProperty("numberOfIterations").GetDouble(), new double[] { 30, 60 });
        }
        // Every trial competes: the best is the leaderboard's first, whichever wave it came from.
        Assert.Equal(trials[0].GetProperty("trialId").GetString(), run.GetProperty("best").GetProperty("trialId").GetString());

        // The same seed, the same trials: a second run of the project tries the same configurations under the same ids.
        static List<string> Configurations(JsonElement run) => [.. run.GetProperty("trials").EnumerateArray()
            .Select(t => $"{t.GetProperty("trialId").GetString()} {t.GetProperty("trainer").GetString()} {t.GetProperty("parameters")}").Order()];
        var again = await server.WaitForRunAsync(await server.StartRunAsync("ds-bayesian"), r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal(Configurations(run), Configurations(again));
    }

    [Fact]
    public async Task PutProject_BayesianStartupAboveMaxTrials_400NamesTheField()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/ds-bad-bayesian", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
            searchSpace = new
            {
                strategy = "bayesian", maxTrials = 4, startupTrials = 5,
                trainers = new[] { new { trainer = "LightGbm", parameters = new { learningRate = new { min = 0.01, max = 0.3 } } } },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("searchSpace.startupTrials", out _), errors.ToString());
    }

    [Fact]
    public async Task PutProject_GridWithRange_400NamesTheParameter()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/ds-bad-grid", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
            searchSpace = new { strategy = "grid", trainers = new[] { new { trainer = "LightGbm", parameters = new { learningRate = new { min = 0.01, max = 0.3 } } } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("searchSpace.trainers[0].parameters.learningRate", out _), errors.ToString());
    }

    [Fact]
    public async Task MinImprovement_SameDataAgain_SecondRunNotBetterAndNobodyAsked()
    {
        await server.PutProjectAsync("ds-champion", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", minImprovement = 0.01,
            approvers = new[] { "champ@example.com" },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
        });
        await server.UploadWeatherAsync("ds-champion");
        var first = await server.StartRunAsync("ds-champion");
        var link = await server.ApprovalLinkAsync(first, "champ@example.com");
        var (approvalId, token) = ServerFixture.ParseLink(link);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).StatusCode);
        await server.WaitForRunAsync(first, r => r.GetProperty("status").GetString() == "Completed");

        var second = await server.StartRunAsync("ds-champion");
        var run = await server.WaitForRunAsync(second, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
        Assert.Equal("NotBetter", run.GetProperty("status").GetString());
        var champion = run.GetProperty("champion");
        Assert.Equal(1, champion.GetProperty("championVersion").GetInt32());
        // Same data, same seed, same trainer: the champion scores exactly what the challenger does on the same test set.
        Assert.Equal(champion.GetProperty("challenger").GetDouble(), champion.GetProperty("champion").GetDouble());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("approval").ValueKind);
        Assert.Equal(1, (await server.GetJsonAsync("/api/projects/ds-champion/models")).GetProperty("production").GetInt32());

        // The runs list filters and pages on the server: by status, newest first, one at a time.
        static List<string?> Ids(JsonElement list) => [.. list.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString())];
        Assert.Equal([first, second], Ids(await server.GetJsonAsync("/api/projects/ds-champion/runs")));
        Assert.Equal([second], Ids(await server.GetJsonAsync("/api/projects/ds-champion/runs?status=notbetter")));
        Assert.Equal([first], Ids(await server.GetJsonAsync("/api/projects/ds-champion/runs?status=Completed&dataset=weather")));
        Assert.Empty(Ids(await server.GetJsonAsync("/api/projects/ds-champion/runs?dataset=other")));
        var newest = await server.GetJsonAsync("/api/projects/ds-champion/runs?order=newest&limit=1");
        Assert.Equal([second], Ids(newest));
        Assert.Equal((2, 1), (newest.GetProperty("total").GetInt32(), newest.GetProperty("nextOffset").GetInt32()));
        var next = await server.GetJsonAsync("/api/projects/ds-champion/runs?order=newest&limit=1&offset=1");
        Assert.Equal([first], Ids(next));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("nextOffset").ValueKind);
    }

    [Fact]
    public async Task StopWhen_FirstTrialMeetsTarget_SweepStopsAndSaysWhy()
    {
        await server.PutProjectAsync("ds-stop", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
            maxParallelTrials = 1, stopWhen = new { metric = "microAccuracy", min = 0.5 },
            candidates = Enumerable.Range(1, 4).Select(i => new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = i } }),
        });
        await server.UploadWeatherAsync("ds-stop");
        var runId = await server.StartRunAsync("ds-stop");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");

        Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("progress").GetProperty("trialsCompleted").GetInt32());
        Assert.Contains("reached the target microAccuracy >= 0.5", run.GetProperty("sweepNote").GetString());
    }

    [Fact]
    public async Task CrossValidation_ThreeFolds_TrialsReportCvMeanAndStd()
    {
        await server.PutProjectAsync("ds-cv", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" }, crossValidationFolds = 3,
            candidates = new[]
            {
                new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } },
                new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["numberOfIterations"] = 50 } },
            },
        });
        await server.UploadWeatherAsync("ds-cv");
        var runId = await server.StartRunAsync("ds-cv");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");

        Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
        foreach (var trial in run.GetProperty("trials").EnumerateArray())
        {
            Assert.Equal(3, trial.GetProperty("folds").GetInt32());
            var metrics = trial.GetProperty("metrics");
            Assert.InRange(metrics.GetProperty("cv.microAccuracy.mean").GetDouble(), 0.6, 1);
            Assert.InRange(metrics.GetProperty("cv.microAccuracy.std").GetDouble(), 0, 0.1);
            Assert.True(metrics.TryGetProperty("microAccuracy", out _));
        }
    }
}
