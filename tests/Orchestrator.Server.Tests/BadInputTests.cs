using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;

namespace Orchestrator.Server.Tests;

/// <summary>Bad input gets a 4xx problem+json naming what is wrong, and nothing reaches the curated zone.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture server)
{
    private static readonly object ValidProject = new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = 0.7 } }, approvers = new[] { "sme@example.com" },
    };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<List<string>> CuratedBlobsAsync(string project)
    {
        var container = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("curated");
        var names = new List<string>();
        if (!(await container.ExistsAsync()).Value) return names;
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, project + "/", default))
            names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task Upload_BinaryBodyAsCsv_400KeepsRawWritesNothingCurated()
    {
        await server.PutProjectAsync("bad-binary", ValidProject);
        var bytes = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00 };
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("text/csv");

        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-binary/datasets/upload", content), HttpStatusCode.BadRequest);
        Assert.Contains("binary", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));

        // Raw is kept as received; the version explains itself; nothing is curated.
        var raw = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobClient("bad-binary/upload/v1/source.csv");
        Assert.Equal(bytes, (await raw.DownloadContentAsync()).Value.Content.ToArray());
        var version = await server.GetJsonAsync("/api/projects/bad-binary/datasets/upload/versions/1");
        Assert.Equal("Failed", version.GetProperty("status").GetString());
        Assert.Empty(await CuratedBlobsAsync("bad-binary"));
    }

    [Fact]
    public async Task Upload_CsvWithoutLabelColumn_400NamesTheLabel()
    {
        await server.PutProjectAsync("bad-label", ValidProject);
        using var content = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-label/datasets/d1", content), HttpStatusCode.BadRequest);
        Assert.Contains("'weather'", problem.GetProperty("detail").GetString());
        Assert.Empty(await CuratedBlobsAsync("bad-label"));
    }

    [Fact]
    public async Task Upload_UnsupportedContentType_415()
    {
        await server.PutProjectAsync("bad-type", ValidProject);
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new("application/octet-stream");
        await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-type/datasets/d1", content), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Upload_UnknownProject_404WritesNothing()
    {
        using var content = new StringContent("weather,x\nsun,1\n", Encoding.UTF8, "text/csv");
        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/no-such-project/datasets/d1", content), HttpStatusCode.NotFound);
        Assert.Contains("no-such-project", problem.GetProperty("detail").GetString());
        Assert.Empty(await CuratedBlobsAsync("no-such-project"));
    }

    [Fact]
    public async Task Upload_RowsThatFailTypeChecks_QuarantinedWithRowAndReason()
    {
        await server.PutProjectAsync("bad-rows", ValidProject);
        var csv = new StringBuilder("temp,weather\n");
        for (var i = 0; i < 30; i++) csv.Append(i).Append(",sun\n");
        csv.Append("warm,rain\n");
        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        var response = await server.Http.PostAsync("/api/projects/bad-rows/datasets/d1", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var version = await server.WaitForVersionAsync(response.Headers.Location!.ToString());
        Assert.Equal("Ready", version.GetProperty("status").GetString());
        Assert.Equal((30, 1), (version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var quarantined = version.GetProperty("report").GetProperty("quarantineSample")[0];
        Assert.Equal((31, "temp"), (quarantined.GetProperty("row").GetInt32(), quarantined.GetProperty("column").GetString()));
        Assert.Contains("'warm' is not a number", quarantined.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("{\"task\":\"clustering\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"]}", "task")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"rmse\",\"approvers\":[\"a@b.c\"]}", "primaryMetric")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"not-an-email\"]}", "approvers[0]")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"approvalTimeout\":\"soon\"}", "approvalTimeout")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"candidates\":[{\"trainer\":\"FastForest\",\"parameters\":{}}]}", "candidates[0].trainer")]
    [InlineData("{\"task\":", "body")]
    public async Task PutProject_Malformed_400NamesTheField(string json, string field)
    {
        var response = await server.Http.PutAsync("/api/projects/malformed", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/projects/malformed")).StatusCode);
    }

    [Fact]
    public async Task PutProject_InvalidName_400()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/Bad_Name", ValidProject);
        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task StartRun_UnknownProjectOrDataset_404()
    {
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/nobody/runs", new { dataset = "weather" }), HttpStatusCode.NotFound);
        await server.PutProjectAsync("no-data", ValidProject);
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/no-data/runs", new { dataset = "weather" }), HttpStatusCode.NotFound);
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/no-data/runs", new { }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetRun_Unknown_404()
    {
        await ProblemAsync(await server.Http.GetAsync("/api/runs/does-not-exist"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Healthz_Ok()
    {
        Assert.Equal("healthy", (await server.GetJsonAsync("/healthz")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Upload_JsonLines_CuratedWithTypes()
    {
        await server.PutProjectAsync("jsonl", ValidProject);
        var lines = new StringBuilder();
        for (var i = 0; i < 30; i++) lines.Append($"{{\"temp\": {i}, \"weather\": \"{(i % 2 == 0 ? "sun" : "rain")}\"}}\n");
        using var content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson");
        var response = await server.Http.PostAsync("/api/projects/jsonl/datasets/d1", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var version = await server.WaitForVersionAsync(response.Headers.Location!.ToString());
        Assert.Equal(("Ready", "jsonl", 30), (version.GetProperty("status").GetString(), version.GetProperty("format").GetString(), version.GetProperty("rowsOut").GetInt32()));
    }

    [Fact]
    public async Task IngestFromLanding_BlobWrittenBySourceSystem_CopiedToRawAndCurated()
    {
        await server.PutProjectAsync("landing", ValidProject);
        var landing = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("landing");
        await landing.CreateIfNotExistsAsync();
        var bytes = await File.ReadAllBytesAsync(ServerFixture.SeattleWeatherCsv);
        await landing.GetBlobClient("erp/2026-11-26/weather.csv").UploadAsync(new BinaryData(bytes), overwrite: true);

        var response = await server.Http.PostAsJsonAsync("/api/projects/landing/datasets/daily/ingest", new { blob = "erp/2026-11-26/weather.csv" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var version = await server.WaitForVersionAsync(response.Headers.Location!.ToString());
        Assert.Equal(("Ready", 1461), (version.GetProperty("status").GetString(), version.GetProperty("rowsOut").GetInt32()));
        var raw = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobClient("landing/daily/v1/source.csv");
        Assert.Equal(bytes, (await raw.DownloadContentAsync()).Value.Content.ToArray());
        // The landing blob is the source system's: the pipeline leaves it where it was.
        Assert.True((await landing.GetBlobClient("erp/2026-11-26/weather.csv").ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("../raw/other/x.csv", HttpStatusCode.BadRequest)]
    [InlineData("erp//x.csv", HttpStatusCode.BadRequest)]
    [InlineData("erp/report.xlsx", HttpStatusCode.BadRequest)]
    [InlineData("erp/missing.csv", HttpStatusCode.NotFound)]
    public async Task IngestFromLanding_BadOrMissingBlob_4xx(string blob, HttpStatusCode expected)
    {
        await server.PutProjectAsync("landing-bad", ValidProject);
        var problem = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/landing-bad/datasets/d1/ingest", new { blob }), expected);
        Assert.NotNull(problem.GetProperty("title").GetString());
    }
}
