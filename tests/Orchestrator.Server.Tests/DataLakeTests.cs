using Orchestrator.Http.Security;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Server.Tests;

/// <summary>
/// The data-engineering stage through HTTP against Azurite: every format, unstructured files, versions by content hash,
/// the quality report, expectations, de-duplication, the catalog and version diffs.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DataLakeTests(ServerFixture server)
{
    private static string[] WeatherLines => File.ReadAllLines(ServerFixture.SeattleWeatherCsv);

    private static byte[] Csv(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    private BlobContainerClient Container(string name) => new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient(name);

    private static JsonElement Profile(JsonElement version, string column) =>
        version.GetProperty("report").GetProperty("profiles").EnumerateArray().Single(p => p.GetProperty("name").GetString() == column);

    [Fact]
    public async Task Upload_CsvWithSemicolonsBomCrlfAndQuotes_CuratedKeepingSourceColumnNames()
    {
        await server.PutProjectAsync("de-csv", ServerFixture.WeatherProject);
        var text = "\uFEFFTemp (°C);wind.speed;note;weather\r\n"
            + string.Concat(Enumerable.Range(0, 40).Select(i => $" {i},5 ;{i % 7};\"says \"\"hi\"\"; then\r\nleaves\";{(i % 2 == 0 ? "sun" : "rain")}\r\n"));
        // Decimal commas are not numbers in an invariant lake: the column stays text; the point here is the parsing.
        var version = await server.UploadReadyAsync("/api/projects/de-csv/datasets/d1", Encoding.UTF8.GetBytes(text), "text/csv");

        Assert.Equal(40, version.GetProperty("rowsOut").GetInt32());
        var columns = version.GetProperty("report").GetProperty("schema").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Temp (°C)", "wind.speed", "note", "weather"], columns);
        Assert.Equal("number", Profile(version, "wind.speed").GetProperty("type").GetString());
        var note = Profile(version, "note").GetProperty("topValues")[0].GetProperty("value").GetString();
        Assert.Equal("says \"hi\"; then\r\nleaves", note);
        Assert.True(version.GetProperty("report").GetProperty("cleaning").GetProperty("trimmedCells").GetInt64() >= 40);
    }

    [Fact]
    public async Task Upload_JsonArrayOfObjects_CuratedWithUnionOfKeys()
    {
        await server.PutProjectAsync("de-json", ServerFixture.WeatherProject);
        var rows = Enumerable.Range(0, 30).Select(i => i < 10
            ? $"{{\"temp\": {i}, \"weather\": \"sun\"}}"
            : $"{{\"temp\": {i}, \"weather\": \"rain\", \"windy\": {(i % 2 == 0 ? "true" : "false")}}}");
        var version = await server.UploadReadyAsync("/api/projects/de-json/datasets/d1", Encoding.UTF8.GetBytes("[" + string.Join(",\n", rows) + "]"), "application/json");

        Assert.Equal(30, version.GetProperty("rowsOut").GetInt32());
        var windy = Profile(version, "windy");
        Assert.Equal(("boolean", 10), (windy.GetProperty("type").GetString(), windy.GetProperty("nulls").GetInt32()));
    }

    [Fact]
    public async Task Upload_Parquet_CuratedWithTypesAndUsableForTraining()
    {
        await server.PutProjectAsync("de-parquet", ServerFixture.WeatherProject);
        var source = TabularReader.ReadCsv(File.OpenRead(ServerFixture.SeattleWeatherCsv));
        var schema = DatasetCurator.Curate(source, "weather").Schema;
        var file = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(file, schema, rowGroupSize: 500))
            foreach (var row in DatasetCurator.Curate(source, "weather").Curated.Rows)
                await writer.AddAsync(row);

        var version = await server.UploadReadyAsync("/api/projects/de-parquet/datasets/d1", file.ToArray(), "application/vnd.apache.parquet");

        Assert.Equal(("parquet", 1461), (version.GetProperty("format").GetString(), version.GetProperty("rowsOut").GetInt32()));
        Assert.Equal("date", Profile(version, "date").GetProperty("type").GetString());
        Assert.Equal("number", Profile(version, "temp_max").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upload_UnstructuredFile_KeptAsIsWithMetadataAndFoundInCatalog()
    {
        await server.PutProjectAsync("de-files", ServerFixture.WeatherProject);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4, 5];
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new("image/png");
        using var dana = server.ClientFor("dana@example.com", Roles.DataEngineer);
        var response = await dana.PostAsync("/api/projects/de-files/datasets/radar-images?name=radar-2026-11-27.png", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var version = JsonDocument.Parse(text).RootElement;

        Assert.Equal(("Ready", "file", "image/png"), (version.GetProperty("status").GetString(), version.GetProperty("kind").GetString(), version.GetProperty("contentType").GetString()));
        Assert.Equal(png.Length, version.GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), version.GetProperty("contentHash").GetString());
        Assert.Equal(("radar-2026-11-27.png", "dana@example.com"), (version.GetProperty("fileName").GetString(), version.GetProperty("ingestedBy").GetString()));
        var raw = await Container("raw").GetBlobClient(version.GetProperty("rawBlob").GetString()).DownloadContentAsync();
        Assert.Equal(png, raw.Value.Content.ToArray());

        var found = await server.GetJsonAsync("/api/datasets?q=radar");
        var entry = Assert.Single(found.GetProperty("datasets").EnumerateArray());
        Assert.Equal(("file", 1), (entry.GetProperty("kind").GetString(), entry.GetProperty("latestVersion").GetInt32()));
    }

    [Fact]
    public async Task Upload_SameBytesTwice_ReturnsTheExistingVersion()
    {
        await server.PutProjectAsync("de-dup", ServerFixture.WeatherProject);
        var bytes = Csv(WeatherLines.Take(200));
        var first = await server.UploadReadyAsync("/api/projects/de-dup/datasets/d1", bytes, "text/csv");

        using var again = new ByteArrayContent(bytes);
        again.Headers.ContentType = new("text/csv");
        var response = await server.Http.PostAsync("/api/projects/de-dup/datasets/d1", again);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var second = JsonDocument.Parse(text).RootElement;

        Assert.Equal(first.GetProperty("version").GetInt32(), second.GetProperty("version").GetInt32());
        Assert.True(second.GetProperty("existing").GetBoolean());
        var dataset = await server.GetJsonAsync("/api/projects/de-dup/datasets/d1");
        Assert.Single(dataset.GetProperty("versions").EnumerateArray());
        // One raw copy of those bytes: the duplicate upload left nothing behind.
        var raws = new List<string>();
        await foreach (var blob in Container("raw").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "de-dup/", default)) raws.Add(blob.Name);
        Assert.Single(raws);
    }

    [Fact]
    public async Task Upload_SeattleWeather_ReportHasProfilesHistogramsAndInferredExpectations()
    {
        await server.PutProjectAsync("de-report", ServerFixture.WeatherProject);
        var version = await server.UploadReadyAsync("/api/projects/de-report/datasets/weather", await File.ReadAllBytesAsync(ServerFixture.SeattleWeatherCsv), "text/csv");

        var temp = Profile(version, "temp_max");
        Assert.Equal(("number", 0.0), (temp.GetProperty("type").GetString(), temp.GetProperty("nullShare").GetDouble()));
        Assert.Equal((-1.6, 35.6), (temp.GetProperty("min").GetDouble(), temp.GetProperty("max").GetDouble()));
        Assert.InRange(temp.GetProperty("mean").GetDouble(), 16.4, 16.5);
        Assert.Equal(1461, temp.GetProperty("histogram").GetProperty("counts").EnumerateArray().Sum(c => c.GetInt32()));
        var weather = Profile(version, "weather");
        Assert.Equal(("rain", 641), (weather.GetProperty("topValues")[0].GetProperty("value").GetString(), weather.GetProperty("topValues")[0].GetProperty("count").GetInt32()));
        Assert.Equal(5, weather.GetProperty("distinctValues").GetInt32());
        Assert.Equal(ServerFixture.Tester, version.GetProperty("ingestedBy").GetString());

        // The first version teaches the dataset what to expect of the next ones.
        var dataset = await server.GetJsonAsync("/api/projects/de-report/datasets/weather");
        var inferred = dataset.GetProperty("inferredExpectations");
        Assert.Equal(6, inferred.GetProperty("requiredColumns").GetArrayLength());
        Assert.Equal("number", inferred.GetProperty("columns").GetProperty("temp_max").GetProperty("type").GetString());
        Assert.Contains("temp_max", dataset.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Expectations_RangeAllowedValuesAndKey_RowsQuarantinedWithEveryReason()
    {
        await server.PutProjectAsync("de-expect", ServerFixture.WeatherProject);
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-expect/datasets/weather", new
        {
            owner = "data-eng@example.com",
            expectations = new
            {
                key = new[] { "date" },
                columns = new Dictionary<string, object>
                {
                    ["temp_max"] = new { min = -10, max = 35 },
                    ["weather"] = new { allowedValues = new[] { "rain", "sun", "fog", "drizzle", "snow" } },
                },
            },
        });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var lines = WeatherLines.Take(401).ToList(); // header + 400 rows
        lines.Add(lines[1]);                                   // row 401 repeats row 1's date (and everything else)
        lines.Add("2015-12-31,0.0,41.0,5.0,4.0,hail");          // row 402: too hot and not an allowed weather
        var version = await server.UploadReadyAsync("/api/projects/de-expect/datasets/weather", Csv(lines), "text/csv");

        Assert.Equal((402, 400, 2), (version.GetProperty("rowsIn").GetInt32(), version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var response = await server.Http.GetAsync("/api/projects/de-expect/datasets/weather/versions/1/quarantine");
        var quarantine = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([401, 402], quarantine.Select(q => q.GetProperty("row").GetInt32()));
        Assert.Contains("duplicate key (first seen at row 1)", quarantine[0].GetProperty("reasons")[0].GetProperty("reason").GetString());
        var reasons = quarantine[1].GetProperty("reasons").EnumerateArray().Select(r => (r.GetProperty("column").GetString(), r.GetProperty("reason").GetString())).ToList();
        Assert.Contains(reasons, r => r.Item1 == "temp_max" && r.Item2!.Contains("above the maximum 35"));
        Assert.Contains(reasons, r => r.Item1 == "weather" && r.Item2!.Contains("'hail' is not one of the allowed values"));
        Assert.Equal("hail", quarantine[1].GetProperty("values").GetProperty("weather").GetString());
        Assert.Equal(1, version.GetProperty("report").GetProperty("cleaning").GetProperty("keyViolations").GetInt32());
    }

    [Fact]
    public async Task Deduplicate_ByRow_DuplicatesRemovedAndCounted()
    {
        await server.PutProjectAsync("de-dedup", ServerFixture.WeatherProject);
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-dedup/datasets/weather", new { expectations = new { deduplicate = "row" } });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var lines = WeatherLines.Take(101).Concat(WeatherLines.Skip(1).Take(30)).ToList();
        var version = await server.UploadReadyAsync("/api/projects/de-dedup/datasets/weather", Csv(lines), "text/csv");

        Assert.Equal((130, 100, 0), (version.GetProperty("rowsIn").GetInt32(), version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var cleaning = version.GetProperty("report").GetProperty("cleaning");
        Assert.Equal((30, 30), (cleaning.GetProperty("duplicateRows").GetInt32(), cleaning.GetProperty("duplicatesRemoved").GetInt32()));
    }

    [Fact]
    public async Task SecondVersion_RequiredColumnMissing_422NamesTheColumnAndKeepsRaw()
    {
        await server.PutProjectAsync("de-required", ServerFixture.WeatherProject);
        await server.UploadWeatherAsync("de-required");
        var withoutWind = WeatherLines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 4)));

        using var content = new ByteArrayContent(Csv(withoutWind));
        content.Headers.ContentType = new("text/csv");
        var response = await server.Http.PostAsync("/api/projects/de-required/datasets/weather", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains("'wind'", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("wind", out _));
        Assert.True((await Container("raw").GetBlobClient(problem.GetProperty("rawBlob").GetString()!["raw/".Length..]).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Upload_ColumnOverItsMaxNullShare_422NamesTheColumnAndAtTheLimitReady()
    {
        await server.PutProjectAsync("de-nulls", ServerFixture.WeatherProject);
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-nulls/datasets/weather",
            new { expectations = new { columns = new Dictionary<string, object> { ["wind"] = new { maxNullShare = 0.1 } } } });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        // 20 rows; the wind column (index 4) emptied in 3 of them (15%), then in 2 (10%, the limit).
        IEnumerable<string> WithEmptyWind(int empty) => WeatherLines.Take(21).Select((l, i) => i is > 0 && i <= empty ? string.Join(',', l.Split(',').Select((v, c) => c == 4 ? "" : v)) : l);

        using var over = new ByteArrayContent(Csv(WithEmptyWind(3)));
        over.Headers.ContentType = new("text/csv");
        var response = await server.Http.PostAsync("/api/projects/de-nulls/datasets/weather", over);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains("maxNullShare(wind)", problem.GetProperty("detail").GetString());
        Assert.Contains("15.0", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("wind", out _), text);

        var atLimit = await server.UploadAsync("/api/projects/de-nulls/datasets/weather", Csv(WithEmptyWind(2)), "text/csv");
        Assert.Equal("Ready", atLimit.GetProperty("status").GetString());
        Assert.Equal(0.1, Profile(atLimit, "wind").GetProperty("nullShare").GetDouble(), 3);
    }

    [Fact]
    public async Task Diff_SummerOnlyAgainstEarlierYears_TemperaturesShiftedSchemaSame()
    {
        await server.PutProjectAsync("de-diff", ServerFixture.WeatherProject);
        var header = WeatherLines[0];
        var rows = WeatherLines.Skip(1).ToList();
        var early = rows.Where(r => r.StartsWith("2012") || r.StartsWith("2013"));
        var late = rows.Where(r => r.StartsWith("2014") || r.StartsWith("2015"));
        var summer = late.Where(r => r[5..7] is "06" or "07" or "08");
        var v1 = (await server.UploadReadyAsync("/api/projects/de-diff/datasets/weather", Csv(early.Prepend(header)), "text/csv")).GetProperty("version").GetInt32();
        var v2 = (await server.UploadReadyAsync("/api/projects/de-diff/datasets/weather", Csv(late.Prepend(header)), "text/csv")).GetProperty("version").GetInt32();
        var v3 = (await server.UploadReadyAsync("/api/projects/de-diff/datasets/weather", Csv(summer.Prepend(header)), "text/csv")).GetProperty("version").GetInt32();

        JsonElement Shift(JsonElement diff, string column) => diff.GetProperty("shifts").EnumerateArray().Single(s => s.GetProperty("column").GetString() == column);
        var summerDiff = await server.GetJsonAsync($"/api/projects/de-diff/datasets/weather/versions/{v1}/diff/{v3}");
        Assert.True(Shift(summerDiff, "temp_max").GetProperty("shifted").GetBoolean(), summerDiff.ToString());
        Assert.True(Shift(summerDiff, "temp_min").GetProperty("shifted").GetBoolean());
        Assert.Empty(summerDiff.GetProperty("schemaChanges").EnumerateArray());

        var yearDiff = await server.GetJsonAsync($"/api/projects/de-diff/datasets/weather/versions/{v1}/diff/{v2}");
        // Warmer later years move the temperatures a little; rain did not change (Wasserstein / std ≈ 0.1 vs ≈ 1.2 for summer).
        Assert.False(Shift(yearDiff, "precipitation").GetProperty("shifted").GetBoolean(), yearDiff.ToString());
        Assert.True(Shift(summerDiff, "temp_max").GetProperty("score").GetDouble() > 4 * Shift(yearDiff, "temp_max").GetProperty("score").GetDouble());

        var missing = await server.Http.GetAsync($"/api/projects/de-diff/datasets/weather/versions/{v1}/diff/99");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Catalog_ManyDatasets_PagesOnTheServerByNameOrNewestFirst()
    {
        await server.PutProjectAsync("de-catalog-pages", ServerFixture.WeatherProject);
        foreach (var name in new[] { "c-third", "a-first", "b-second" }) await server.UploadWeatherAsync("de-catalog-pages", name);

        var first = await server.GetJsonAsync("/api/datasets?project=de-catalog-pages&limit=2");
        Assert.Equal(3, first.GetProperty("count").GetInt32());
        Assert.Equal(["a-first", "b-second"], first.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("dataset").GetString()));
        Assert.Equal(2, first.GetProperty("nextOffset").GetInt32());
        var second = await server.GetJsonAsync("/api/datasets?project=de-catalog-pages&limit=2&offset=2");
        Assert.Equal(["c-third"], second.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("dataset").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextOffset").ValueKind);

        var newest = await server.GetJsonAsync("/api/datasets?project=de-catalog-pages&order=updated&limit=1");
        Assert.Equal("b-second", newest.GetProperty("datasets")[0].GetProperty("dataset").GetString());

        var bad = await server.Http.GetAsync("/api/datasets?order=size&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("order", out _));
        Assert.True(errors.TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Catalog_SearchByNameDescriptionTagAndColumn()
    {
        await server.PutProjectAsync("de-catalog", ServerFixture.WeatherProject);
        await server.UploadWeatherAsync("de-catalog", "observations");
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/de-catalog/datasets/observations", new
        {
            owner = "weather-team@example.com", description = "Daily Seattle observations from NOAA", tags = new[] { "Weather", "daily" },
        });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());

        async Task<List<string>> Find(string query) =>
            (await server.GetJsonAsync("/api/datasets?" + query)).GetProperty("datasets").EnumerateArray()
                .Where(d => d.GetProperty("project").GetString() == "de-catalog").Select(d => d.GetProperty("dataset").GetString()!).ToList();
        Assert.Equal(["observations"], await Find("q=noaa"));
        Assert.Equal(["observations"], await Find("tag=weather"));
        Assert.Equal(["observations"], await Find("column=precipitation&project=de-catalog"));
        Assert.Empty(await Find("column=humidity"));
        Assert.Empty(await Find("tag=hourly"));

        var dataset = await server.GetJsonAsync("/api/projects/de-catalog/datasets/observations");
        Assert.Equal("weather-team@example.com", dataset.GetProperty("owner").GetString());
        var byName = await server.GetJsonAsync("/api/datasets/observations");
        Assert.Contains(byName.GetProperty("datasets").EnumerateArray(), d => d.GetProperty("project").GetString() == "de-catalog");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/datasets/no-such-dataset")).StatusCode);
        Assert.Equal(["weather", "daily"], dataset.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Patch_InvalidExpectations_400NamesTheField()
    {
        await server.PutProjectAsync("de-patch", ServerFixture.WeatherProject);
        var response = await server.Http.PatchAsJsonAsync("/api/projects/de-patch/datasets/weather",
            new { expectations = new { deduplicate = "key", columns = new Dictionary<string, object> { ["temp"] = new { type = "float", maxNullShare = 2 } } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("expectations.key", out _), text);
        Assert.True(errors.TryGetProperty("expectations.columns.temp.type", out _), text);
        Assert.True(errors.TryGetProperty("expectations.columns.temp.maxNullShare", out _), text);
    }

    [Fact]
    public async Task IngestFromLanding_Flights3mParquet_ChunkedWithBoundedMemory()
    {
        await server.PutProjectAsync("de-flights", new
        {
            task = "regression", label = "delay", primaryMetric = "rmse", approvers = new[] { "sme@example.com" },
        });
        var landing = Container("landing");
        await landing.CreateIfNotExistsAsync();
        await landing.GetBlobClient("de-flights/faa/flights-3m.parquet").UploadAsync(ServerFixture.VegaData("flights-3m.parquet"), overwrite: true);

        // The whole test process (server, worker, sidecar, tests) is sampled, from a baseline with the heap given back:
        // earlier tests in this host leave ~500 MiB of working set behind, so the absolute peak says more about them
        // than about the ingestion. The bound is 1 GiB less a fresh server's footprint (~200 MiB); bench/ reports the
        // absolute peak in a process of its own.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        using var sampling = new CancellationTokenSource();
        long peak = 0;
        var sampler = Task.Run(async () =>
        {
            var process = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var response = await server.Http.PostAsJsonAsync("/api/projects/de-flights/datasets/flights/ingest", new { blob = "de-flights/faa/flights-3m.parquet" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var version = await server.WaitForVersionAsync(response.Headers.Location!.ToString(), seconds: 600);
        sampling.Cancel();
        await sampler;

        Assert.True(version.GetProperty("status").GetString() == "Ready", version.ToString());
        Assert.Equal(3_000_000, version.GetProperty("rowsIn").GetInt32());
        Assert.True(version.GetProperty("report").GetProperty("chunks").GetInt32() > 1, "3 million rows are curated in more than one chunk");
        Assert.True(peak - baseline < 768L * 1024 * 1024, $"working set grew by {(peak - baseline) / (1024 * 1024)} MiB (from {baseline / (1024 * 1024)} MiB to {peak / (1024 * 1024)} MiB)");
    }

    [Fact]
    public async Task StartRun_VersionStillBeingIngested_WaitsForThatIngestionAndCuratesOnce()
    {
        await server.PutProjectAsync("de-once", ServerFixture.WeatherProject);
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(ServerFixture.SeattleWeatherCsv));
        content.Headers.ContentType = new("text/csv");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/projects/de-once/datasets/weather") { Content = content };
        upload.Headers.Add("Prefer", "respond-async");
        var response = await server.Http.SendAsync(upload);
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var version = accepted.GetProperty("version").GetInt32();
        Assert.Equal(InstanceIds.DatasetIngestion("de-once", "weather", version), accepted.GetProperty("ingestionId").GetString());

        // At once, while the upload's ingestion runs: the run must not curate the version a second time.
        var started = await server.Http.PostAsJsonAsync("/api/projects/de-once/runs", new { dataset = "weather", version });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;

        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("stage").GetString() != "DataEngineering" || r.GetProperty("status").GetString() != "Running");
        Assert.NotEqual("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Ready", (await server.GetJsonAsync(accepted.GetProperty("statusUrl").GetString()!)).GetProperty("status").GetString());
        // One curation: the upload's, under the version's own instance id; the run started none of its own.
        var client = server.App.Services.GetRequiredService<DurableTaskClient>();
        var ingestion = await client.GetInstanceAsync(InstanceIds.DatasetIngestion("de-once", "weather", version));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ingestion?.RuntimeStatus);
        Assert.Null(await client.GetInstanceAsync($"{runId}-ingest"));
        var curatedBy = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
            if (instance.Name == nameof(IngestionOrchestrator) && instance.SerializedInput?.Contains("\"de-once\"") == true) curatedBy.Add(instance.InstanceId);
        Assert.Equal([ingestion!.InstanceId], curatedBy);
    }
}
