using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.ML.OnnxRuntime;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Export;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Server.Tests;

/// <summary>A model version as ONNX through HTTP: trained on real data, converted, checked against ML.NET, refused when it cannot be.</summary>
[Collection(ServerCollection.Name)]
public sealed class OnnxExportTests(ServerFixture server)
{
    private const string Approver = "onnx-sme@example.com";

    private static readonly Dictionary<string, string?> Row = new()
    {
        ["date"] = "2015-07-01", ["precipitation"] = "0", ["temp_max"] = "27.2", ["temp_min"] = "14.4", ["wind"] = "2.9",
    };

    /// <summary>Runs the lifecycle once and approves it: the model version it registered.</summary>
    private async Task<int> RegisterOnceAsync(string project, string dataset)
    {
        var run = await server.DecideAndWaitAsync(await server.StartRunAsync(project, dataset), Approver, "approve");
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        return run.GetProperty("modelVersion").GetInt32();
    }

    [Fact]
    public async Task ExportOnnx_SeattleWeatherSweep_CheckPassesAndTheFileAnswersAsServing()
    {
        await server.PutProjectAsync("onnx-weather", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.5 } }, approvers = new[] { Approver },
            candidates = new object[]
            {
                new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["numberOfIterations"] = 30 } },
                new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } },
            },
        });
        await server.UploadWeatherAsync("onnx-weather");
        var version = await RegisterOnceAsync("onnx-weather", "weather");
        var path = $"/api/projects/onnx-weather/models/{version}/onnx";

        var check = await server.GetJsonAsync(path + "?check=true");
        Assert.True(check.GetProperty("check").GetProperty("passed").GetBoolean(), check.ToString());
        Assert.Equal((20, 0), (check.GetProperty("check").GetProperty("rows").GetInt32(), check.GetProperty("check").GetProperty("mismatches").GetInt32()));
        Assert.All(check.GetProperty("check").GetProperty("comparisons").EnumerateArray(), c => Assert.Equal(c.GetProperty("mlNet").GetString(), c.GetProperty("onnx").GetString()));
        Assert.Equal($"onnx-weather-v{version}.onnx", check.GetProperty("fileName").GetString());
        Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind"],
            check.GetProperty("check").GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("source").GetString()).Distinct().Order());

        using var response = await server.Http.GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"onnx-weather-v{version}.onnx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("passed; rows=20", response.Headers.GetValues("X-Onnx-Check").Single(), StringComparison.Ordinal);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal((sha, $"\"{sha}\""), (check.GetProperty("check").GetProperty("sha256").GetString(), response.Headers.ETag?.Tag));

        // The file on its own, as someone outside would use it: ONNX Runtime loads it and answers a new row as serving does.
        using (var session = new InferenceSession(bytes)) Assert.DoesNotContain(session.InputNames, n => n.StartsWith("Label", StringComparison.Ordinal));
        var modelBlob = (await server.GetJsonAsync("/api/projects/onnx-weather/models")).GetProperty("versions").EnumerateArray()
            .Single(v => v.GetProperty("version").GetInt32() == version).GetProperty("modelBlob").GetString()!;
        var models = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("models");
        var frame = Json.Deserialize<FeatureFrame>((await models.GetBlobClient(TrialRunner.FramePathFor(modelBlob)).DownloadContentAsync()).Value.Content.ToString());
        var served = await server.Http.PostAsJsonAsync("/api/projects/onnx-weather/predict", new { rows = new[] { Row } });
        var prediction = (await served.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0];
        // Serving lists the scores in the model's slot order, which is what the ONNX score tensor follows.
        var classes = prediction.GetProperty("scores").EnumerateObject().Select(p => p.Name).ToList();
        var onnx = OnnxConversion.Score(bytes, frame, classes, [Row])[0];
        Assert.Equal(prediction.GetProperty("value").GetString(), onnx.Value);
        foreach (var score in prediction.GetProperty("scores").EnumerateObject()) Assert.Equal(score.Value.GetDouble(), onnx.Scores![score.Name], 4);

        // Kept next to the model and answered from there: the same bytes again, and the export is audited.
        Assert.True((await models.GetBlobClient(OnnxExporter.PathFor(modelBlob, OnnxExporter.OnnxFile)).ExistsAsync()).Value);
        Assert.Equal(bytes, await server.Http.GetByteArrayAsync(path));
        var again = await server.GetJsonAsync(path + "?check=true");
        Assert.Equal(check.GetProperty("check").GetProperty("checkedAt").GetString(), again.GetProperty("check").GetProperty("checkedAt").GetString());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var unchanged = await server.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        var audit = (await server.GetJsonAsync("/api/audit?action=model.export&limit=100")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("target").GetString()!.Contains("onnx-weather", StringComparison.Ordinal)).ToList();
        Assert.True(audit.Count >= 3, string.Join("\n", audit));
        Assert.Contains(audit, e => e.GetProperty("detail").GetString()!.Contains(sha, StringComparison.Ordinal));

        using var bad = await server.Http.GetAsync(path + "?check=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("check", out _));
        using var missing = await server.Http.GetAsync("/api/projects/onnx-weather/models/99/onnx");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The model is computed from its dataset's rows: once the dataset is restricted, only its readers get the file.
        var restrict = await server.Http.PatchAsJsonAsync("/api/projects/onnx-weather/datasets/weather", new { restrictedTo = new[] { "group:onnx-team" } });
        Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
        using var outsider = server.ClientFor("onnx-reader@example.com", Roles.Reader);
        using var refused = await outsider.GetAsync(path);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden && refusal.Contains("Restricted dataset", StringComparison.Ordinal), refusal);
        using var member = server.ClientFor(null);
        member.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("onnx-member@example.com", [Roles.Reader], ["onnx-team"]));
        Assert.Equal(bytes, await member.GetByteArrayAsync(path));
    }

    [Fact]
    public async Task ExportOnnx_TextFeaturization_409NamingTheTransformAndColumn()
    {
        // cars.json's Name is free text: the pipeline featurizes it with FeaturizeText, which ML.NET cannot write as ONNX.
        await server.PutProjectAsync("onnx-cars", new
        {
            task = "regression", label = "Miles_per_Gallon", primaryMetric = "rmse", approvers = new[] { Approver },
            features = new[] { "Name", "Horsepower", "Weight_in_lbs" },
            candidates = new[] { new { trainer = "FastTree", parameters = new Dictionary<string, double> { ["numberOfTrees"] = 20 } } },
        });
        await server.UploadReadyAsync("/api/projects/onnx-cars/datasets/cars", await File.ReadAllBytesAsync(ServerFixture.VegaData("cars.json")), "application/json");
        var version = await RegisterOnceAsync("onnx-cars", "cars");

        foreach (var query in new[] { "", "?check=true" })
        {
            using var response = await server.Http.GetAsync($"/api/projects/onnx-cars/models/{version}/onnx{query}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, body);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(("TextFeaturizingEstimator", "Name"), (problem.GetProperty("transform").GetString(), problem.GetProperty("column").GetString()));
            Assert.Contains("TextFeaturizingEstimator (on the text column 'Name')", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
