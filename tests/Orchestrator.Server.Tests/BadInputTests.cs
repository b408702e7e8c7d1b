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
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A 400 problem+json whose <c>errors</c> name <paramref name="field"/>.</summary>
    private static async Task ProblemNamingAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
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

    private async Task<byte[]> RawBytesAsync(JsonElement problem)
    {
        var path = problem.GetProperty("rawBlob").GetString()!["raw/".Length..];
        return (await new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobClient(path).DownloadContentAsync()).Value.Content.ToArray();
    }

    [Fact]
    public async Task PredictOrFeedback_MoreRowsThanServingMaxRows_400NamesTheField()
    {
        await server.PutProjectAsync("bad-many-rows", ServerFixture.WeatherProject);
        var limit = new Orchestrator.Http.Application.Serving.ServingOptions().MaxRows;
        var rows = Enumerable.Range(0, limit + 1).Select(i => new Dictionary<string, object> { ["wind"] = i }).ToArray();
        var predict = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/bad-many-rows/predict", new { rows }), HttpStatusCode.BadRequest);
        Assert.Contains($"At most {limit} rows", predict.GetProperty("errors").GetProperty("rows")[0].GetString());
        var items = Enumerable.Range(0, limit + 1).Select(i => new { predictionId = $"p{i}", label = "sun" }).ToArray();
        var feedback = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/bad-many-rows/feedback", items), HttpStatusCode.BadRequest);
        Assert.Contains($"At most {limit} items", feedback.GetProperty("errors").GetProperty("body")[0].GetString());
        // One row fewer is not refused for its count (it fails later: the project serves no model yet).
        var within = await server.Http.PostAsJsonAsync("/api/projects/bad-many-rows/predict", new { rows = rows[..limit] });
        Assert.DoesNotContain("At most", await within.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_BinaryBodyAsCsv_400KeepsRawWritesNothingCurated()
    {
        await server.PutProjectAsync("bad-binary", ServerFixture.WeatherProject);
        var bytes = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00 };
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("text/csv");

        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-binary/datasets/upload", content), HttpStatusCode.BadRequest);
        Assert.Contains("binary", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));

        // Raw is kept as received; the version explains itself; nothing is curated.
        Assert.Equal(bytes, await RawBytesAsync(problem));
        var version = await server.GetJsonAsync("/api/projects/bad-binary/datasets/upload/versions/1");
        Assert.Equal("Failed", version.GetProperty("status").GetString());
        Assert.Empty(await CuratedBlobsAsync("bad-binary"));
    }

    [Fact]
    public async Task Upload_CsvWithoutLabelColumn_400NamesTheLabel()
    {
        await server.PutProjectAsync("bad-label", ServerFixture.WeatherProject);
        using var content = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-label/datasets/d1", content), HttpStatusCode.BadRequest);
        Assert.Contains("'weather'", problem.GetProperty("detail").GetString());
        Assert.Empty(await CuratedBlobsAsync("bad-label"));
    }

    [Fact]
    public async Task Upload_UnsupportedContentType_415()
    {
        await server.PutProjectAsync("bad-type", ServerFixture.WeatherProject);
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
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
        await server.PutProjectAsync("bad-rows", ServerFixture.WeatherProject);
        var csv = new StringBuilder("temp,weather\n");
        for (var i = 0; i < 30; i++) csv.Append(i).Append(",sun\n");
        csv.Append("warm,rain\n");
        var version = await server.UploadReadyAsync("/api/projects/bad-rows/datasets/d1", Encoding.UTF8.GetBytes(csv.ToString()), "text/csv");

        Assert.Equal((30, 1), (version.GetProperty("rowsOut").GetInt32(), version.GetProperty("rowsQuarantined").GetInt32()));
        var quarantined = version.GetProperty("report").GetProperty("quarantineSample")[0];
        Assert.Equal((31, "temp"), (quarantined.GetProperty("row").GetInt32(), quarantined.GetProperty("column").GetString()));
        Assert.Contains("'warm' is not a number", quarantined.GetProperty("reason").GetString());
    }

    private static string Rows(int count, Func<int, string> row) => string.Concat(Enumerable.Range(1, count).Select(i => row(i) + "\n"));

    public static TheoryData<string, string, string, int, string, string> BadFiles => new()
    {
        { "empty", "", "text/csv", 400, "body", "empty" },
        { "header-only", "temp,weather\n", "text/csv", 400, "body", "no data rows" },
        { "ragged", "temp,weather\n" + Rows(20, i => $"{i},sun") + "21,rain,extra\n22,sun,x\n", "text/csv", 422, "*", "row 21: expected 2 fields, found 3" },
        { "unclosed-quote", "temp,weather\n1,sun\n2,\"rain\n3,sun\n", "text/csv", 422, "body", "Line 3: a quoted field is never closed" },
        { "latin1", "temp,weather\n1,soleil\u00e9\n", "latin1", 400, "body", "not valid UTF-8" },
        { "nul-bytes", "temp,weather\n1,s\0un\n", "text/csv", 400, "body", "binary" },
        { "json-object", "{\"temp\": 1, \"weather\": \"sun\"}", "application/json", 400, "body", "array of objects" },
        { "json-numbers", "[1, 2, 3]", "application/json", 422, "*", "row 1: expected an object, found Number" },
        { "mixed-types", "temp,weather\n" + Rows(20, i => $"{i},sun") + "warm,rain\nhot,sun\n", "text/csv", 422, "temp", "row 21: 'warm' is not a number" },
        { "all-null-column", "temp,note,weather\n" + Rows(20, i => $"{i},,sun"), "text/csv", 422, "note", "no values" },
        { "duplicate-columns", "temp,temp,weather\n1,2,sun\n", "text/csv", 400, "body", "'temp' appears twice" },
        { "label-missing-json", "[{\"temp\": 1}, {\"temp\": 2}]", "application/json", 422, "weather", "label column is missing" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Upload_BadFile_4xxNamesRowOrColumnKeepsRawCuratesNothing(string name, string text, string contentType, int status, string errorKey, string message)
    {
        var project = $"bad-{name}";
        await server.PutProjectAsync(project, ServerFixture.WeatherProject);
        var bytes = contentType == "latin1" ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new(contentType == "latin1" ? "text/csv" : contentType);

        var problem = await ProblemAsync(await server.Http.PostAsync($"/api/projects/{project}/datasets/d1", content), (HttpStatusCode)status);

        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out var errors), problem.ToString());
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(bytes, await RawBytesAsync(problem));
        Assert.Empty(await CuratedBlobsAsync(project));
        var version = await server.GetJsonAsync(problem.GetProperty("statusUrl").GetString()!);
        Assert.Equal("Failed", version.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("..%2Fraw")]
    [InlineData("a%23b")]
    [InlineData("a%3Fb")]
    [InlineData("a%2Fb")]
    [InlineData("UPPER")]
    public async Task Upload_DatasetNameThatCouldEscapeItsPathOrKey_400(string dataset)
    {
        await server.PutProjectAsync("bad-names", ServerFixture.WeatherProject);
        using var content = new StringContent("temp,weather\n1,sun\n", Encoding.UTF8, "text/csv");
        var response = await server.Http.PostAsync($"/api/projects/bad-names/datasets/{dataset}", content);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.BadRequest)
            Assert.True((await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("dataset", out _));
        Assert.Empty(await CuratedBlobsAsync("bad-names"));
        var raw = new List<string>();
        await foreach (var blob in new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "bad-names/", default)) raw.Add(blob.Name);
        Assert.Empty(raw);
    }

    [Fact]
    public async Task Upload_OverTheSizeLimit_413WhetherDeclaredOrStreamed()
    {
        await server.PutProjectAsync("bad-size", ServerFixture.WeatherProject);
        // Declared: refused before a byte is read (the client waits for "100 Continue", which never comes).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/bad-size/datasets/d1") { Content = new StreamContent(GeneratedBody.Csv(ServerFixture.MaxUploadBytes + 1)) };
        request.Content.Headers.ContentType = new("text/csv");
        request.Content.Headers.ContentLength = ServerFixture.MaxUploadBytes + 1;
        request.Headers.ExpectContinue = true;
        await ProblemAsync(await server.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        // Streamed without a length: refused once the limit is passed, and the partial upload is not kept as a version.
        using var streamed = new StreamContent(GeneratedBody.Csv(ServerFixture.MaxUploadBytes + 1024));
        streamed.Headers.ContentType = new("text/csv");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/projects/bad-size/datasets/d1") { Content = streamed };
        chunked.Headers.TransferEncodingChunked = true;
        await ProblemAsync(await server.Http.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);
        var dataset = await server.Http.GetAsync("/api/projects/bad-size/datasets/d1");
        Assert.Equal(HttpStatusCode.NotFound, dataset.StatusCode);
        var raw = new List<string>();
        await foreach (var blob in new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "bad-size/", default)) raw.Add(blob.Name);
        Assert.Empty(raw);
    }

    [Fact]
    public async Task PutProject_OverTheBodyLimit_413WhetherDeclaredOrStreamed()
    {
        const long sixtyMiB = 60L * 1024 * 1024;
        // Declared: refused from the headers alone; the client, waiting for "100 Continue", sends none of the body.
        var declaredBody = GeneratedBody.Json(sixtyMiB);
        using var declared = new HttpRequestMessage(HttpMethod.Put, "/api/projects/bad-body-size") { Content = new StreamContent(declaredBody) };
        declared.Content.Headers.ContentType = new("application/json");
        declared.Content.Headers.ContentLength = sixtyMiB;
        declared.Headers.ExpectContinue = true;
        var problem = await ProblemAsync(await server.Http.SendAsync(declared), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576 bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(0, declaredBody.Position);

        // Streamed without a length: refused once the limit is passed, long before the end. The server answers 413 and
        // closes the connection; a client still sending may see the closed connection instead of the answer.
        var streamedBody = GeneratedBody.Json(sixtyMiB);
        using var chunked = new HttpRequestMessage(HttpMethod.Put, "/api/projects/bad-body-size") { Content = new StreamContent(streamedBody) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        try
        {
            problem = await ProblemAsync(await server.Http.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("1048576 bytes", problem.GetProperty("detail").GetString());
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Closed while sending: what matters is below, that it was long before the end.
        }
        Assert.True(streamedBody.Position < sixtyMiB / 4, $"{streamedBody.Position} bytes sent before the server stopped reading");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/projects/bad-body-size")).StatusCode);
    }

    [Theory]
    [InlineData("{\"expectations\":{\"maxRejectedShare\":1e400}}", "expectations.maxRejectedShare")]
    [InlineData("{\"expectations\":{\"maxRejectedShare\":\"NaN\"}}", "expectations.maxRejectedShare")]
    [InlineData("{\"expectations\":{\"columns\":{\"temp\":{\"maxNullShare\":\"NaN\"}}}}", "expectations.columns.temp.maxNullShare")]
    [InlineData("{\"expectations\":{\"columns\":{\"temp\":{\"max\":-1e400}}}}", "expectations.columns.temp.max")]
    public async Task PatchDataset_NonFiniteShareOrBound_400NamesTheField(string json, string field)
    {
        await server.PutProjectAsync("bad-patch-number", ServerFixture.WeatherProject);
        var response = await server.Http.PatchAsync("/api/projects/bad-patch-number/datasets/d1", new StringContent(json, Encoding.UTF8, "application/json"));
        await ProblemNamingAsync(response, field);
    }

    [Fact]
    public async Task PutProject_StreamedSixtyMiB_ServerAllocatesWithinItsBudget()
    {
        // The server runs in this process: what the whole process allocates while it refuses the body bounds what the
        // server spent on it. Reading the body whole cost 330 MiB before the limits; the budget is a fraction of the body.
        const long sixtyMiB = 60L * 1024 * 1024;
        const long budget = 32L * 1024 * 1024;
        var body = GeneratedBody.Json(sixtyMiB);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/projects/bad-body-budget") { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        try
        {
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // The server closed the connection while the client was still sending: refused all the same.
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < budget, $"{allocated / 1024 / 1024} MiB allocated while refusing a {sixtyMiB / 1024 / 1024} MiB body (budget {budget / 1024 / 1024} MiB)");
    }

    [Fact]
    public async Task Predict_TenThousandRowsOfJunk_413BeforeAnyIsLogged()
    {
        await server.PutProjectAsync("bad-predict-size", ServerFixture.WeatherProject);
        // 10,000 rows × 4 KiB of unknown keys: 40 MiB, past the 16 MiB of a predict body.
        var row = "{\"junk\":\"" + new string('x', 4096) + "\"}";
        var json = "{\"rows\":[" + string.Join(',', Enumerable.Repeat(row, 10_000)) + "]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/bad-predict-size/predict") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        var problem = await ProblemAsync(await server.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{16 * 1024 * 1024} bytes", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"rows\":[{\"a\":1},{\"a\":\"#BIG#\"}]}", "rows[1]")]
    [InlineData("{\"rows\":[{\"temp_max\":1,\"temp_max\":2}]}", "rows[0].temp_max")]
    public async Task Predict_RowTooLargeOrDuplicateKey_400NamesTheField(string json, string field)
    {
        await server.PutProjectAsync("bad-predict-row", ServerFixture.WeatherProject);
        var body = json.Replace("#BIG#", new string('x', 65 * 1024), StringComparison.Ordinal);
        var problem = await ProblemAsync(await server.Http.PostAsync("/api/projects/bad-predict-row/predict", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    /// <summary>A body of a given length, generated as it is read: byte <c>i</c> is <c>byteAt(i)</c>.</summary>
    private sealed class GeneratedBody(long length, Func<long, byte> byteAt) : Stream
    {
        private static readonly byte[] CsvHead = "temp,weather\n"u8.ToArray();
        private static readonly byte[] CsvLine = "12.5,sun\n"u8.ToArray();
        private static readonly byte[] JsonHead = "{\"junk\":\""u8.ToArray();

        /// <summary>A CSV of temperatures and weather.</summary>
        public static GeneratedBody Csv(long length) => new(length, i => i < CsvHead.Length ? CsvHead[i] : CsvLine[i % CsvLine.Length]);

        /// <summary>A JSON object with one string field that does not end within the length.</summary>
        public static GeneratedBody Json(long length) => new(length, i => i < JsonHead.Length ? JsonHead[i] : (byte)'x');

        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++) buffer[offset + i] = byteAt(_position + i);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("{\"task\":\"clustering\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"]}", "task")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"rmse\",\"approvers\":[\"a@b.c\"]}", "primaryMetric")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"not-an-email\"]}", "approvers[0]")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"approvalTimeout\":\"soon\"}", "approvalTimeout")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"candidates\":[{\"trainer\":\"FastForest\",\"parameters\":{}}]}", "candidates[0].trainer")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"kpis\":[{\"metric\":\"microAccuracy\",\"min\":1e400}]}", "kpis[0].min")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"kpis\":[{\"metric\":\"microAccuracy\",\"max\":\"NaN\"}]}", "kpis[0].max")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"testFraction\":\"NaN\"}", "testFraction")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"testFraction\":-1e400}", "testFraction")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"minImprovement\":\"Infinity\"}", "minImprovement")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"monitoring\":{\"pValue\":\"NaN\"}}", "monitoring.pValue")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"approvalTimeout\":\"99999999:00:00\"}", "approvalTimeout")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"approvalTimeout\":\"999999999:00:00\"}", "approvalTimeout")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"approvalTimeout\":\"10675199.02:48:05.4775807\"}", "approvalTimeout")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"remindAfter\":\"P400D\"}", "remindAfter")]
    [InlineData("{\"task\":\"multiclass\",\"label\":\"weather\",\"primaryMetric\":\"microAccuracy\",\"approvers\":[\"a@b.c\"],\"testFraction\":0.2,\"testFraction\":0.3}", "testFraction")]
    [InlineData("{\"task\":", "body")]
    public async Task PutProject_Malformed_400NamesTheField(string json, string field)
    {
        var response = await server.Http.PutAsync("/api/projects/malformed", new StringContent(json, Encoding.UTF8, "application/json"));
        await ProblemNamingAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/projects/malformed")).StatusCode);
    }

    [Theory]
    [InlineData("/api/access", "{\"principal\":\"sam@example.com\",\"role\":[\"Reader\"]}", "role")]
    [InlineData("/api/access", "{\"principal\":\"sam@example.com\",\"role\":\"Reader\",\"project\":7}", "project")]
    [InlineData("/api/webhooks", "{\"project\":\"hooks-typed\",\"url\":\"https://example.com/x\",\"events\":\"model.promoted\"}", "events")]
    [InlineData("/api/webhooks", "{\"project\":\"hooks-typed\",\"url\":\"https://example.com/x\",\"events\":[1]}", "events[0]")]
    public async Task PostGovernance_MistypedField_400NamesTheJsonPath(string path, string json, string field)
    {
        var response = await server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        await ProblemNamingAsync(response, field);
    }

    [Fact]
    public async Task PutProject_InvalidName_400()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/Bad_Name", ServerFixture.WeatherProject);
        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task StartRun_UnknownProjectOrDataset_404()
    {
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/nobody/runs", new { dataset = "weather" }), HttpStatusCode.NotFound);
        await server.PutProjectAsync("no-data", ServerFixture.WeatherProject);
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/no-data/runs", new { dataset = "weather" }), HttpStatusCode.NotFound);
        await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/no-data/runs", new { }), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"dataset\":\"weather\",\"version\":\"three\"}", "version")]
    [InlineData("{\"dataset\":7}", "dataset")]
    [InlineData("[1,2]", "body")]
    [InlineData("", "body")]
    public async Task StartRun_MistypedOrMissingBody_400NamesTheJsonPath(string json, string field)
    {
        await server.PutProjectAsync("mistyped-run", ServerFixture.WeatherProject);
        var response = await server.Http.PostAsync("/api/projects/mistyped-run/runs", new StringContent(json, Encoding.UTF8, "application/json"));
        await ProblemNamingAsync(response, field);
        Assert.Empty((await server.GetJsonAsync("/api/projects/mistyped-run/runs")).GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task DecideApproval_MistypedJsonField_400NamesItAndDecidesNothing()
    {
        var response = await server.Http.PostAsync("/api/approvals/no-such-approval",
            new StringContent("{\"token\":\"t\",\"decision\":[\"approve\"]}", Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("decision", out _), problem.ToString());
    }

    [Fact]
    public async Task ListApprovals_UnknownStatus_400NamesStatus()
    {
        var approvals = await server.Http.GetAsync("/api/approvals?status=maybe");
        var problem = await ProblemAsync(approvals, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _), problem.ToString());
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
        await server.PutProjectAsync("jsonl", ServerFixture.WeatherProject);
        var lines = new StringBuilder();
        for (var i = 0; i < 30; i++) lines.Append($"{{\"temp\": {i}, \"weather\": \"{(i % 2 == 0 ? "sun" : "rain")}\"}}\n");
        var version = await server.UploadReadyAsync("/api/projects/jsonl/datasets/d1", Encoding.UTF8.GetBytes(lines.ToString()), "application/x-ndjson");
        Assert.Equal(("Ready", "jsonl", 30), (version.GetProperty("status").GetString(), version.GetProperty("format").GetString(), version.GetProperty("rowsOut").GetInt32()));
    }

    [Fact]
    public async Task IngestFromLanding_BlobWrittenBySourceSystem_CopiedToRawAndCurated()
    {
        await server.PutProjectAsync("landing", ServerFixture.WeatherProject);
        var landing = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("landing");
        await landing.CreateIfNotExistsAsync();
        var bytes = await File.ReadAllBytesAsync(ServerFixture.SeattleWeatherCsv);
        await landing.GetBlobClient("landing/erp/2026-11-26/weather.csv").UploadAsync(new BinaryData(bytes), overwrite: true);

        var response = await server.Http.PostAsJsonAsync("/api/projects/landing/datasets/daily/ingest", new { blob = "landing/erp/2026-11-26/weather.csv" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var version = await server.WaitForVersionAsync(response.Headers.Location!.ToString());
        Assert.Equal(("Ready", 1461), (version.GetProperty("status").GetString(), version.GetProperty("rowsOut").GetInt32()));
        Assert.Equal("landing/landing/erp/2026-11-26/weather.csv", version.GetProperty("source").GetString());
        var raw = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobClient(version.GetProperty("rawBlob").GetString());
        Assert.Equal(bytes, (await raw.DownloadContentAsync()).Value.Content.ToArray());
        // Copied inside storage (the server only read it, for its hash), and typed by its extension.
        var copied = (await raw.GetPropertiesAsync()).Value;
        Assert.Equal((Azure.Storage.Blobs.Models.CopyStatus.Success, "text/csv"), (copied.BlobCopyStatus!.Value, copied.ContentType));
        Assert.EndsWith("/landing/landing/erp/2026-11-26/weather.csv", copied.CopySource.AbsolutePath, StringComparison.Ordinal);
        // The landing blob is the source system's: the pipeline leaves it where it was.
        Assert.True((await landing.GetBlobClient("landing/erp/2026-11-26/weather.csv").ExistsAsync()).Value);
    }

    [Fact]
    public async Task IngestFromLanding_BlobOverTheSizeLimit_413NothingKept()
    {
        await server.PutProjectAsync("landing-size", ServerFixture.WeatherProject);
        var blobs = new BlobServiceClient(server.Azurite.ConnectionString);
        var landing = blobs.GetBlobContainerClient("landing");
        await landing.CreateIfNotExistsAsync();
        await landing.GetBlobClient("landing-size/big.csv").UploadAsync(GeneratedBody.Csv(ServerFixture.MaxUploadBytes + 1), overwrite: true);

        var problem = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/landing-size/datasets/d1/ingest", new { blob = "landing-size/big.csv" }),
            HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{ServerFixture.MaxUploadBytes + 1} bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/projects/landing-size/datasets/d1")).StatusCode);
        var raw = new List<string>();
        await foreach (var blob in blobs.GetBlobContainerClient("raw").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "landing-size/", default)) raw.Add(blob.Name);
        Assert.Empty(raw);
    }

    [Theory]
    [InlineData("../raw/other/x.csv", HttpStatusCode.BadRequest)]
    [InlineData("landing-bad/erp//x.csv", HttpStatusCode.BadRequest)]
    [InlineData("landing-bad/erp/report", HttpStatusCode.BadRequest)]
    [InlineData("landing-bad/erp/missing.csv", HttpStatusCode.NotFound)]
    [InlineData("landing/erp/2026-11-26/weather.csv", HttpStatusCode.BadRequest)]
    public async Task IngestFromLanding_BadOrMissingBlob_4xx(string blob, HttpStatusCode expected)
    {
        await server.PutProjectAsync("landing-bad", ServerFixture.WeatherProject);
        var problem = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/projects/landing-bad/datasets/d1/ingest", new { blob }), expected);
        Assert.NotNull(problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/api/projects/some-project/runs?status=Sleeping", "status")]
    [InlineData("/api/projects/some-project/runs?order=sideways", "order")]
    [InlineData("/api/projects/some-project/runs?limit=0", "limit")]
    [InlineData("/api/projects/some-project/runs?limit=501", "limit")]
    [InlineData("/api/projects/some-project/runs?offset=-1", "offset")]
    [InlineData("/api/approvals?limit=abc", "limit")]
    [InlineData("/api/approvals?offset=1e3", "offset")]
    public async Task ListRunsOrApprovals_BadFilterOrPage_400NamesTheParameter(string path, string parameter) =>
        await ProblemNamingAsync(await server.Http.GetAsync(path), parameter);
}
