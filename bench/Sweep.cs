using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableTask.AzureStorage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Server;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Bench;

/// <summary>
/// Durable sweeps against the same trials trained in-process with <c>Parallel.ForEach</c> on the same cores, at most
/// one trial per core at a time: 24 short trials on seattle-weather, and 8 trials of seconds each on flights-200k.
/// </summary>
public static class Sweep
{
    private const string Dataset = "data";
    private const double TestFraction = 0.2;
    private const int Seed = 1;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One durable run, DataScience → leaving Running, with where its time went (seconds).</summary>
    /// <param name="Wall">Client-observed: stage seen DataScience → status seen leaving Running (50 ms polls).</param>
    /// <param name="ServerSpan">The same span on the server's timeline: the lifecycle's DataScience update done → the approval's AwaitingApproval update done.</param>
    /// <param name="TrainingSum">Σ trainingSeconds of the run's trials (ModelTrainer.Train inside the activities).</param>
    /// <param name="BeforeFirstTrial">DataScience update done → the first trial activity scheduled.</param>
    /// <param name="TrialsSpan">First trial scheduled → last trial completed.</param>
    /// <param name="AfterLastTrial">Last trial completed → AwaitingApproval update done.</param>
    /// <param name="FanIn">Last trial completed → training orchestration completed.</param>
    /// <param name="ModelCard">BuildModelCardActivity, scheduled → completed.</param>
    /// <param name="ApprovalRequest">RequestApprovalActivity (approval row, emails), scheduled → completed.</param>
    /// <param name="ActivitySum">Σ over trials of scheduled → completed.</param>
    /// <param name="MeanDispatchGap">Mean time from a trial's completion to the next trial being scheduled (one orchestrator round trip).</param>
    /// <param name="ToStart">Σ over trials of scheduled → the trial's startedAt (the work item's dispatch, the trial's reads).</param>
    /// <param name="BesidesTraining">Σ of startedAt → endedAt less trainingSeconds (model input, evaluation of slices).</param>
    /// <param name="AfterEnd">Σ of endedAt → completed in the history (model, frame, lineage and trial row stored; the completion's way back).</param>
    public sealed record DurableSample(string RunId, double Wall, double ServerSpan, double TrainingSum, int Trials, double BeforeFirstTrial, double TrialsSpan,
        double AfterLastTrial, double FanIn, double ModelCard, double ApprovalRequest, double ActivitySum, double MeanDispatchGap, double Cpu, double? AzuriteCpu, double? MachineCpu,
        int Polls, double MeanPollMs, double PollCpu, Dictionary<string, double> Accuracy, Dictionary<string, double> Seconds, PoolStats Pool,
        double ToStart, double BesidesTraining, double AfterEnd);

    /// <summary>
    /// The runtime over a sample: thread pool read every 10 ms by a thread of its own (most threads, most queued work
    /// items, share of reads with work queued), work items completed, GC pauses, collections and bytes allocated.
    /// </summary>
    public sealed record PoolStats(int MaxThreads, long MaxPending, double QueuedShare, long WorkItems, double GcPause, int Gen0, int Gen1, int Gen2, double AllocatedMb,
        long JitMethods, double JitSeconds);

    /// <summary>Samples the thread pool on a dedicated thread, and the GC's counters, until disposed.</summary>
    private sealed class PoolSampler : IDisposable
    {
        private readonly Thread thread;
        private readonly (long Items, TimeSpan Pause, int G0, int G1, int G2, long Bytes, long Jitted, TimeSpan Jit) start = Counters();
        private (long Items, TimeSpan Pause, int G0, int G1, int G2, long Bytes, long Jitted, TimeSpan Jit) end;
        private volatile bool stop;
        private int maxThreads, reads, queued;
        private long maxPending;

        public PoolSampler()
        {
            thread = new Thread(() =>
            {
                while (!stop)
                {
                    maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
                    var pending = ThreadPool.PendingWorkItemCount;
                    maxPending = Math.Max(maxPending, pending);
                    reads++;
                    if (pending > 0) queued++;
                    Thread.Sleep(10);
                }
            }) { IsBackground = true, Name = "pool sampler" };
            thread.Start();
        }

        private static (long, TimeSpan, int, int, int, long, long, TimeSpan) Counters() => (ThreadPool.CompletedWorkItemCount, GC.GetTotalPauseDuration(),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(),
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());

        public PoolStats Stats => new(maxThreads, maxPending, reads == 0 ? 0 : (double)queued / reads, end.Items - start.Items,
            (end.Pause - start.Pause).TotalSeconds, end.G0 - start.G0, end.G1 - start.G1, end.G2 - start.G2, (end.Bytes - start.Bytes) / 1048576.0,
            end.Jitted - start.Jitted, (end.Jit - start.Jit).TotalSeconds);

        public void Dispose()
        {
            if (stop) return;
            end = Counters();
            stop = true;
            thread.Join();
        }
    }

    public sealed record InProcessSample(double Wall, double TrainingSum, double Cpu, double? AzuriteCpu, double? MachineCpu, Dictionary<string, double> Accuracy, Dictionary<string, double> Seconds, PoolStats Pool);

    /// <summary>One sweep: a sample file, the project that trains on it and its candidates, and the ratio it aims at.</summary>
    /// <param name="Row">The row of the headline table.</param>
    /// <param name="Kpi">The project's KPI (one that passes, so that every run reaches the SME).</param>
    /// <param name="Described">The candidates in words, for the docs.</param>
    public sealed record SweepCase(string Row, string Project, string File, string ContentType, string Format, string Task, string Label, string Metric,
        Kpi Kpi, double Target, IReadOnlyList<CandidateSpec> Trials, string Described);

    /// <summary>24 multiclass candidates: LightGbm 2 leaves × 2 rates × 3 iteration counts, L-BFGS max-entropy 3 L1 × 4 L2.</summary>
    public static IReadOnlyList<CandidateSpec> Candidates()
    {
        var list = new List<CandidateSpec>();
        foreach (var leaves in new[] { 8, 31 })
            foreach (var rate in new[] { 0.05, 0.2 })
                foreach (var iterations in new[] { 50, 100, 200 })
                    list.Add(new(SearchSpace.LightGbm, new Dictionary<string, double> { ["numberOfLeaves"] = leaves, ["learningRate"] = rate, ["numberOfIterations"] = iterations }));
        foreach (var l1 in new[] { 0, 0.1, 1 })
            foreach (var l2 in new[] { 0.01, 0.1, 1, 10 })
                list.Add(new(SearchSpace.LbfgsMaximumEntropy, new Dictionary<string, double> { ["l1Regularization"] = l1, ["l2Regularization"] = l2 }));
        return list;
    }

    /// <summary>8 regression candidates of seconds each: LightGbm 2 leaves × 2 rates (1,000 iterations), FastTree 2 leaves × 2 rates (500 trees): about 5 s a trial two at a time on 2 cores, as issue #17 asks.</summary>
    public static IReadOnlyList<CandidateSpec> LongCandidates(int iterations = 1000, int trees = 500)
    {
        var list = new List<CandidateSpec>();
        foreach (var leaves in new[] { 31, 63 })
            foreach (var rate in new[] { 0.05, 0.1 })
                list.Add(new(SearchSpace.LightGbm, new Dictionary<string, double> { ["numberOfLeaves"] = leaves, ["learningRate"] = rate, ["numberOfIterations"] = iterations }));
        foreach (var leaves in new[] { 31, 63 })
            foreach (var rate in new[] { 0.1, 0.2 })
                list.Add(new(SearchSpace.FastTree, new Dictionary<string, double> { ["numberOfLeaves"] = leaves, ["learningRate"] = rate, ["numberOfTrees"] = trees }));
        return list;
    }

    /// <summary>
    /// The two sweeps; <paramref name="smoke"/>: the two cheapest settings of each trainer of the short one, and one
    /// candidate of each trainer of the long one at 10 iterations on flights-2k.
    /// </summary>
    public static IReadOnlyList<SweepCase> Cases(string data, bool smoke)
    {
        var all = Candidates();
        // The two cheapest settings of each trainer (LightGbm 8 leaves 50/100 iterations, L-BFGS l1 0 with l2 0.01/0.1).
        IReadOnlyList<CandidateSpec> few = smoke ? [.. all.Take(2), .. all.Where(c => c.Trainer == SearchSpace.LbfgsMaximumEntropy).Take(2)] : all;
        IReadOnlyList<CandidateSpec> slow = smoke ? [.. LongCandidates(10, 10).Where((_, i) => i % 4 == 0)] : LongCandidates();
        var flights = smoke ? "flights-2k.json" : "flights-200k.json";
        var cores = Environment.ProcessorCount;
        return
        [
            new($"{few.Count} trials, seattle-weather, {cores} at a time", "bench-sweep", Path.Combine(data, "seattle-weather.csv"), "text/csv", DataFormat.Csv,
                MlTask.Multiclass, "weather", "microAccuracy", new Kpi("microAccuracy", Min: 0.5), 1.15, few,
                "multiclass, label `weather`: LightGbm × 12 (numberOfLeaves 8/31 × learningRate 0.05/0.2 × numberOfIterations 50/100/200) and LbfgsMaximumEntropy × 12 (l1Regularization 0/0.1/1 × l2Regularization 0.01/0.1/1/10)"),
            new($"{slow.Count} trials of seconds each, {Path.GetFileNameWithoutExtension(flights)}, {cores} at a time", "bench-sweep-long", Path.Combine(data, flights), "application/json", DataFormat.Json,
                MlTask.Regression, "delay", "rmse", new Kpi("rmse", Max: 1000), 1.05, slow,
                "regression, label `delay` from `distance` and `time`: LightGbm × 4 (numberOfLeaves 31/63 × learningRate 0.05/0.1, 1,000 iterations) and FastTree × 4 (numberOfLeaves 31/63 × learningRate 0.1/0.2, 500 trees)"),
        ];
    }

    /// <summary>What one sweep measured.</summary>
    private sealed record CaseResult(SweepCase Case, List<DurableSample> Durable, List<InProcessSample> InProcess, int Mismatches);

    /// <summary>
    /// Runs the scenario (options: [repetitions], or <c>--smoke</c>: each sweep at a tiny size, one run per side without
    /// the untimed warm-up, nothing written) and returns its figures and docs section.
    /// </summary>
    /// <param name="data">The sample data folder (vega-datasets' data).</param>
    public static async Task<ScenarioResult> RunScenarioAsync(string storage, string data, string[] options)
    {
        var (smoke, rest) = Scenarios.Smoke(options);
        var repetitions = smoke ? 1 : rest.Length > 0 ? int.Parse(rest[0], Inv) : 3;
        var warmup = !smoke;
        var cores = Environment.ProcessorCount;
        var azurite = int.TryParse(Environment.GetEnvironmentVariable("BENCH_AZURITE_PID"), out var pid) ? pid : (int?)null;

        var results = new List<CaseResult>();
        foreach (var sweep in Cases(data, smoke))
        {
            var (frame, csv) = Prepare(sweep);
            Console.WriteLine($"sweep {sweep.Row}: durable, maxParallelTrials {cores}, {(warmup ? "1 untimed + " : "")}{repetitions} runs…");
            var durable = await RunDurableAsync(storage, sweep, repetitions, warmup, azurite);
            Console.WriteLine($"sweep {sweep.Row}: in-process Parallel.ForEach, {cores} at a time, {(warmup ? "1 untimed + " : "")}{repetitions} repetitions…");
            if (warmup) RunInProcess(sweep, frame, csv, azurite);
            var inProcess = new List<InProcessSample>();
            for (var i = 0; i < repetitions; i++)
            {
                Settle();
                inProcess.Add(RunInProcess(sweep, frame, csv, azurite));
                Console.WriteLine($"  in-process {i + 1}: {inProcess[^1].Wall:0.00} s (Σ training {inProcess[^1].TrainingSum:0.00} s; CPU {inProcess[^1].Cpu:0.00} s, Azurite {inProcess[^1].AzuriteCpu:0.00} s, machine {inProcess[^1].MachineCpu:0.00} s; {inProcess[^1].Pool})");
            }

            if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
                foreach (var (id, c) in sweep.Trials.Select((c, i) => ($"t{i + 1:D3}", c)))
                    Console.WriteLine($"  {id} {c.Key,-70} durable {string.Join(" ", durable.Select(d => d.Seconds[id].ToString("0.000", Inv)))} | in-process {string.Join(" ", inProcess.Select(p => p.Seconds[id].ToString("0.000", Inv)))}");
            var mismatches = durable.SelectMany(d => d.Accuracy.Where(a => Math.Abs(a.Value - Math.Round(inProcess[0].Accuracy.GetValueOrDefault(a.Key, double.NaN), 6)) > 1e-9)).Count();
            results.Add(new CaseResult(sweep, durable, inProcess, mismatches));
        }
        var table = Table(results);
        Console.WriteLine();
        Console.WriteLine(table);
        var figures = results.SelectMany(r => new Figure[]
        {
            new($"{r.Case.Row}, durable", Stats.Median(r.Durable.Select(d => d.ServerSpan)), Stats.Percentile(r.Durable.Select(d => d.ServerSpan), 0.95), "s"),
            new($"{r.Case.Row}, in-process", Stats.Median(r.InProcess.Select(d => d.Wall)), Stats.Percentile(r.InProcess.Select(d => d.Wall), 0.95), "s"),
        }).ToList();
        return new ScenarioResult("sweep", figures, table, smoke ? null : Section(results, cores, table));
    }

    /// <summary>The headline table: wall time median and p95 on both sides, and the ratio of the medians against the target.</summary>
    private static string Table(IReadOnlyList<CaseResult> results)
    {
        string S(double v) => v.ToString("0.00", Inv);
        var table = new StringBuilder()
            .AppendLine("| scenario | durable median (s) | durable p95 (s) | in-process median (s) | in-process p95 (s) | ratio (medians) | target |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (sweep, durable, inProcess, _) in results)
        {
            // The durable side on the server's own timeline (its histories), so the client's polling interval is not in it.
            var ratio = Stats.Median(durable.Select(d => d.ServerSpan)) / Stats.Median(inProcess.Select(d => d.Wall));
            table.AppendLine(Inv, $"| {sweep.Row} | {S(Stats.Median(durable.Select(d => d.ServerSpan)))} | {S(Stats.Percentile(durable.Select(d => d.ServerSpan), 0.95))} | {S(Stats.Median(inProcess.Select(d => d.Wall)))} | {S(Stats.Percentile(inProcess.Select(d => d.Wall), 0.95))} | {ratio.ToString("0.00", Inv)}× | ≤ {sweep.Target.ToString("0.00", Inv)}× ({(ratio <= sweep.Target ? "met" : "missed")}) |");
        }
        return table.ToString();
    }

    /// <summary>seattle-weather curated and turned into model input once (multiclass, label `weather`).</summary>
    internal static (FeatureFrame Frame, string Csv) Prepare(string seattleCsv) =>
        Prepare(Cases(Path.GetDirectoryName(seattleCsv)!, smoke: false)[0]);

    /// <summary>A sweep's file curated and turned into model input once, as its trials read it.</summary>
    private static (FeatureFrame Frame, string Csv) Prepare(SweepCase sweep)
    {
        var project = new ProjectDefinition { Name = sweep.Project, Task = sweep.Task, Label = sweep.Label, PrimaryMetric = sweep.Metric };
        using var file = File.OpenRead(sweep.File);
        var curated = DatasetCurator.Curate(TabularReader.Read(file, sweep.Format), project.Label);
        var frame = FeatureFrame.Create(curated.Schema, project);
        var csv = frame.ToCsv(curated.Curated, withLabel: true);
        return (frame, csv);
    }

    private static InProcessSample RunInProcess(SweepCase sweep, FeatureFrame frame, string csv, int? azurite)

    {
        var dir = Directory.CreateTempSubdirectory("bench-sweep-");
        try
        {
            var candidates = sweep.Trials;
            var seconds = new double[candidates.Count];
            var accuracy = new ConcurrentDictionary<string, double>();
            var cpu = CpuSeconds();
            var azuriteCpu = AzuriteCpuSeconds(azurite);
            var machineCpu = MachineCpuSeconds();
            using var sampler = new PoolSampler();
            var watch = Stopwatch.StartNew();
            // One candidate at a time per worker (no chunking), like the orchestration handing out trials as slots free up.
            Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, candidates.Count), EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    var trained = ModelTrainer.Train(frame, csv, candidates[i], TestFraction, Seed, threads: ModelTrainer.ThreadsPerTrial(Environment.ProcessorCount));
                    File.WriteAllBytes(Path.Combine(dir.FullName, $"t{i + 1:D3}.zip"), trained.ModelZip);
                    seconds[i] = trained.Seconds;
                    accuracy[$"t{i + 1:D3}"] = trained.Metrics[sweep.Metric];
                });
            var wall = watch.Elapsed.TotalSeconds;
            sampler.Dispose();
            return new InProcessSample(wall, seconds.Sum(), CpuSeconds() - cpu, AzuriteCpuSeconds(azurite) - azuriteCpu, MachineCpuSeconds() - machineCpu, new Dictionary<string, double>(accuracy),
                seconds.Select((v, i) => (v, i)).ToDictionary(x => $"t{x.i + 1:D3}", x => x.v), sampler.Stats);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static async Task<List<DurableSample>> RunDurableAsync(string storage, SweepCase sweep, int repetitions, bool warmup, int? azurite)
    {
        var port = ApprovalLatency.FreePort();
        var outbox = Path.Combine(Path.GetTempPath(), "bench-outbox-" + Guid.NewGuid().ToString("N"));
        // The queue polling interval is host.json's (1 s), as the local server runs.
        var app = ServerApp.Build([
            $"--AzureWebJobsStorage={storage}", $"--Server:Urls=http://127.0.0.1:{port}", $"--Approvals:PublicBaseUrl=http://127.0.0.1:{port}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}", "--Approvals:AllowUngrantedApprovers=true", $"--Email:PickupDirectory={outbox}", $"--extensions:durableTask:hubName=BenchSweep{DateTime.UtcNow:HHmmss}",
            "--Retraining:Schedule=0 0 0 1 1 *", "--Logging:LogLevel:Default=Warning",
            .. BenchAuth.ServerArgs,
        ]);
        await ServerApp.StartAsync(app);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") }.SignedIn();
            var service = app.Services.GetRequiredService<AzureStorageOrchestrationService>();
            (await http.PutAsJsonAsync($"/api/projects/{sweep.Project}", new
            {
                task = sweep.Task, label = sweep.Label, primaryMetric = sweep.Metric, approvers = new[] { "sme@example.com" },
                kpis = new[] { new { metric = sweep.Kpi.Metric, min = sweep.Kpi.Min, max = sweep.Kpi.Max } },
                candidates = sweep.Trials.Select(c => new { trainer = c.Trainer, parameters = c.Parameters }),
                maxParallelTrials = Environment.ProcessorCount, testFraction = TestFraction, seed = Seed,
            })).EnsureSuccessStatusCode();
            string location;
            using (var body = new StreamContent(File.OpenRead(sweep.File)))
            {
                body.Headers.ContentType = new(sweep.ContentType);
                var upload = await http.PostAsync($"/api/projects/{sweep.Project}/datasets/{Dataset}", body);
                upload.EnsureSuccessStatusCode();
                location = upload.Headers.Location!.OriginalString;
            }
            await ApprovalLatency.WaitAsync(async () =>
            {
                var status = JsonDocument.Parse(await http.GetStringAsync(location)).RootElement.GetProperty("status").GetString();
                return status == DatasetStatus.Failed ? throw new InvalidOperationException($"Ingestion of {location} failed.") : status == DatasetStatus.Ready;
            }, TimeSpan.FromMilliseconds(100));

            var samples = new List<DurableSample>();
            for (var i = warmup ? 0 : 1; i <= repetitions; i++)
            {
                Settle();
                var s = await MeasureRunAsync(http, service, sweep, azurite);
                // The first run warms the server's paths and ML.NET (JIT, tiering) and is not counted.
                if (i > 0) samples.Add(s);
                Console.WriteLine($"  durable {(i == 0 ? "warm-up" : i.ToString(Inv))}: {s.Wall:0.00} s (server {s.ServerSpan:0.00} s; Σ training {s.TrainingSum:0.00} s; before first trial {s.BeforeFirstTrial:0.00}, trials {s.TrialsSpan:0.00}, after last {s.AfterLastTrial:0.00} s; CPU {s.Cpu:0.00} s, Azurite {s.AzuriteCpu:0.00} s, machine {s.MachineCpu:0.00} s; {s.Polls} polls, {s.MeanPollMs:0} ms, {s.PollCpu * 1000:0} ms CPU each; {s.Pool}) {s.RunId}");
            }
            return samples;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (Directory.Exists(outbox)) Directory.Delete(outbox, true);
        }
    }

    private static async Task<DurableSample> MeasureRunAsync(HttpClient http, AzureStorageOrchestrationService service, SweepCase sweep, int? azurite)
    {
        var start = await http.PostAsJsonAsync($"/api/projects/{sweep.Project}/runs", new { dataset = Dataset });
        start.EnsureSuccessStatusCode();
        var runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;

        Stopwatch? clock = null;
        PoolSampler? sampler = null;
        double cpu = 0, azuriteCpu = 0, machineCpu = 0;
        var polls = 0;
        var pollTime = TimeSpan.Zero;
        var deadline = Stopwatch.StartNew();
        JsonElement run;
        while (true)
        {
            var sent = Stopwatch.GetTimestamp();
            // Without the leaderboard, as the portal polls: the poll's own cost is the server's CPU too.
            run = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{runId}?trials=false")).RootElement;
            var stage = run.GetProperty("stage").Deserialize<RunStage>();
            var status = run.GetProperty("status").Deserialize<RunStatus>();
            if (clock is not null) { polls++; pollTime += Stopwatch.GetElapsedTime(sent); }
            if (clock is null && stage != RunStage.DataEngineering)
            {
                if (status != RunStatus.Running || stage != RunStage.DataScience)
                    throw new InvalidOperationException($"Run {runId} was first seen at {stage}/{status}, not DataScience/Running: {run.GetProperty("error")}");
                clock = Stopwatch.StartNew();
                sampler = new PoolSampler();
                cpu = CpuSeconds();
                azuriteCpu = AzuriteCpuSeconds(azurite) ?? 0;
                machineCpu = MachineCpuSeconds() ?? 0;
            }
            else if (clock is not null && status != RunStatus.Running)
            {
                clock.Stop();
                sampler!.Dispose();
                cpu = CpuSeconds() - cpu;
                azuriteCpu = (AzuriteCpuSeconds(azurite) ?? 0) - azuriteCpu;
                machineCpu = (MachineCpuSeconds() ?? 0) - machineCpu;
                if (status != RunStatus.AwaitingApproval)
                    throw new InvalidOperationException($"Run {runId} ended {status} at {stage}: {run.GetProperty("error")}");
                break;
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"Run {runId} did not reach AwaitingApproval in 10 minutes.");
            // Quick polls until the sweep starts (the curated data's stage is short), then as a client would, so that the
            // benchmark's own requests take little of the cores the trials train on.
            await Task.Delay(clock is null ? 50 : 500);
        }

        run = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{runId}")).RootElement;
        var trials = run.GetProperty("trials").EnumerateArray().ToList();
        if (trials.Any(t => t.GetProperty("status").Deserialize<TrialStatus>() != TrialStatus.Succeeded))
            throw new InvalidOperationException($"Run {runId} has failed trials.");
        var accuracy = trials.ToDictionary(t => t.GetProperty("trialId").GetString()!, t => t.GetProperty("metrics").GetProperty(sweep.Metric).GetDouble());

        // Where the time went, from the orchestrations' own histories.
        var training = await HistoryAsync(service, Workflows.Orchestrators.InstanceIds.Training(runId));
        var lifecycle = await HistoryAsync(service, runId);
        // The run's row says AwaitingApproval as soon as the approval's update activity wrote it, a moment before that
        // activity's completion reaches the approval orchestration's history: read until it has.
        var approval = await HistoryAsync(service, Workflows.Orchestrators.InstanceIds.Approval(runId));
        for (var wait = Stopwatch.StartNew(); Spans(approval, nameof(UpdateRunActivity)).Count == 0; await Task.Delay(50))
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"Run {runId}: the approval's status update never completed in its history.");
            approval = await HistoryAsync(service, Workflows.Orchestrators.InstanceIds.Approval(runId));
        }
        // The stage became DataScience in the lifecycle's update just before it started the training sub-orchestration.
        var trainingCreated = lifecycle.FindIndex(e => e.Type == "SubOrchestrationInstanceCreated" && e.Name == nameof(TrainingOrchestrator));
        var scienceSet = lifecycle.Take(trainingCreated).Last(e => e.Type == "TaskCompleted").Timestamp;
        var awaitingSet = Spans(approval, nameof(UpdateRunActivity)).First().Completed;
        var trialSpans = Spans(training, nameof(TrainCandidateActivity));
        if (trialSpans.Count != trials.Count) throw new InvalidOperationException($"Run {runId}: {trialSpans.Count} trial activities in the history, {trials.Count} trials.");
        var firstScheduled = trialSpans.Min(s => s.Scheduled);
        var lastCompleted = trialSpans.Max(s => s.Completed);
        var trainingDone = training.Single(e => e.Type == "ExecutionCompleted").Timestamp;
        var card = Spans(lifecycle, nameof(BuildModelCardActivity)).Single();
        var completions = trialSpans.Select(s => s.Completed).Order().ToList();
        var gaps = trialSpans.OrderBy(s => s.Scheduled).Skip(Environment.ProcessorCount)
            .Select(s => (s.Scheduled - completions.Last(c => c <= s.Scheduled)).TotalSeconds).ToList();

        var request = Spans(approval, nameof(RequestApprovalActivity)).Single();

        // What one poll costs (server process + Azurite CPU), measured on the idle run afterwards.
        const int probes = 20;
        var (probeCpu, probeAzurite) = (CpuSeconds(), AzuriteCpuSeconds(azurite) ?? 0);
        for (var i = 0; i < probes; i++) await http.GetStringAsync($"/api/runs/{runId}?trials=false");
        var pollCpu = (CpuSeconds() - probeCpu + (AzuriteCpuSeconds(azurite) ?? 0) - probeAzurite) / probes;

        return new DurableSample(runId, clock.Elapsed.TotalSeconds, (awaitingSet - scienceSet).TotalSeconds, trials.Sum(t => t.GetProperty("trainingSeconds").GetDouble()), trials.Count,
            (firstScheduled - scienceSet).TotalSeconds, (lastCompleted - firstScheduled).TotalSeconds, (awaitingSet - lastCompleted).TotalSeconds,
            (trainingDone - lastCompleted).TotalSeconds, (card.Completed - card.Scheduled).TotalSeconds, (request.Completed - request.Scheduled).TotalSeconds,
            trialSpans.Sum(s => (s.Completed - s.Scheduled).TotalSeconds), gaps.Count > 0 ? gaps.Average() : 0,
            cpu, azurite is null ? null : azuriteCpu, MachineCpuSeconds() is null ? null : machineCpu, polls, polls > 0 ? pollTime.TotalMilliseconds / polls : 0, pollCpu, accuracy,
            trials.ToDictionary(t => t.GetProperty("trialId").GetString()!, t => t.GetProperty("trainingSeconds").GetDouble()), sampler!.Stats,
            // Sums, so trials need not be paired with their history events: Σ(started − scheduled) = Σ started − Σ scheduled.
            SumOf(trials, "startedAt") - trialSpans.Sum(s => Seconds(s.Scheduled)),
            SumOf(trials, "endedAt") - SumOf(trials, "startedAt") - trials.Sum(t => t.GetProperty("trainingSeconds").GetDouble()),
            trialSpans.Sum(s => Seconds(s.Completed)) - SumOf(trials, "endedAt"));
    }

    private static double Seconds(DateTime utc) => (utc - DateTime.UnixEpoch).TotalSeconds;

    private static double SumOf(List<JsonElement> trials, string time) => trials.Sum(t => Seconds(t.GetProperty(time).GetDateTimeOffset().UtcDateTime));

    private sealed record HistoryEvent(string Type, int EventId, int TaskScheduledId, string? Name, DateTime Timestamp);

    private static async Task<List<HistoryEvent>> HistoryAsync(AzureStorageOrchestrationService service, string instanceId)
    {
        var state = (await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
        var json = await service.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => new HistoryEvent(
            EventTypeName(e.GetProperty("EventType")),
            e.TryGetProperty("EventId", out var id) ? id.GetInt32() : -1,
            e.TryGetProperty("TaskScheduledId", out var scheduled) ? scheduled.GetInt32() : -1,
            e.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            e.GetProperty("Timestamp").GetDateTime().ToUniversalTime())).ToList();
    }

    // DurableTask.Core.History.EventType, as Newtonsoft writes it (a number unless a string enum converter is used).
    private static string EventTypeName(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : ((DurableTask.Core.History.EventType)value.GetInt32()).ToString();

    /// <summary>The activity's completed calls in a history (one still running has no completion yet and is left out).</summary>
    private static List<(DateTime Scheduled, DateTime Completed)> Spans(List<HistoryEvent> history, string activity) =>
        history.Where(e => e.Type == "TaskScheduled" && e.Name == activity)
            .Select(s => (Scheduled: s.Timestamp, Completed: history.SingleOrDefault(c => c.Type == "TaskCompleted" && c.TaskScheduledId == s.EventId)))
            .Where(s => s.Completed is not null)
            .Select(s => (s.Scheduled, s.Completed!.Timestamp))
            .ToList();

    /// <summary>Starts each sample from a collected heap, on both sides.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    internal static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>CPU time of the whole machine (all busy time in /proc/stat, Linux); null when unknown.</summary>
    internal static double? MachineCpuSeconds()
    {
        if (!File.Exists("/proc/stat")) return null;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
        var busy = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(cpu[i], Inv));
        return busy / 100.0;
    }

    /// <summary>utime + stime of the Azurite process, from /proc (Linux); null when unknown.</summary>
    internal static double? AzuriteCpuSeconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat")) return null;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat (1-based) are utime and stime in clock ticks; after "pid (comm) " they are at 11 and 12 (0-based).
        return (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / 100.0;
    }

    private static string Pct(double v) => (v * 100).ToString("0", Inv) + " %";

    /// <summary>
    /// CPU of everything else on the machine (other processes, the kernel) over a sample. /proc/stat counts in ticks,
    /// the process's own time is exact: the difference is ±0.1 s, so it is floored at 0.
    /// </summary>
    private static double? Other(double? machine, double process, double? azurite) => machine is { } total ? Math.Max(0, total - process - (azurite ?? 0)) : null;

    private static string Section(IReadOnlyList<CaseResult> results, int cores, string table)
    {
        var disturbed = results.SelectMany(r => r.Durable.Select(d => Other(d.MachineCpu, d.Cpu, d.AzuriteCpu) / d.Wall)
            .Concat(r.InProcess.Select(p => Other(p.MachineCpu, p.Cpu, p.AzuriteCpu) / p.Wall))).Max();
        var runs = results[0].Durable.Count;
        var sweeps = string.Join("\n", results.Select(r => $"- **{r.Case.Row}** ({r.Case.Described}); primary metric `{r.Case.Metric}`."));
        var agreement = string.Join("; ", results.Select(r => r.Mismatches == 0
            ? $"{r.Case.Row.Split(',')[0]}: the same {r.Case.Metric} on both sides"
            : $"{r.Case.Row.Split(',')[0]}: {r.Mismatches} trial metrics differed between the sides"));
        return $"""
            ## Durable sweep vs in-process

            {BenchmarkDoc.MeasuredOn}

            Two sweeps, test fraction {TestFraction}, seed {Seed}:
            {sweeps}

            - **Durable**: the server started in-process (own task hub per sweep, host.json's settings: queue polling up to
              1 s), a project with these `candidates`, `maxParallelTrials` = {cores} (the cores), a KPI that passes and one
              approver; the dataset uploaded and curated once. Each run is a new `POST /api/projects/(project)/runs` (its
              trials train again); the durable time is the server's own, from the orchestrations' histories: the
              lifecycle's DataScience update done → the approval's AwaitingApproval update done (a client polls
              `GET /api/runs/(id)?trials=false`, every 50 ms until the stage is `DataScience`, then every 500 ms, as a
              client would, and its wall time is in the runs table). That span holds everything the lifecycle does in
              between: planning, the trials (each reads the curated version, trains, stores model, frame and trial row),
              fan-in and ranking, the model card, the approval request (emails) and the status update.
            - **In-process**: the same candidates, in the same order, through `Parallel.ForEach` (one candidate at a time per
              worker, `MaxDegreeOfParallelism` = {cores}) calling `ModelTrainer.Train` on the same curated data (read, curated
              and turned into model input once, untimed), each model zip written to a temp file.

            {runs} timed runs per side, each side after one untimed run (JIT, the server's first requests), a full GC before
            each; server GC and `TieredCompilationQuickJit` off on both sides, as the server runs (its project file). Every
            trial succeeded on both sides ({agreement}). Other load on the machine during the samples: at most
            {Pct(disturbed ?? 0)} of a core (the "rest of machine" columns).

            {table}
            Per run: Σ trainingSeconds is `ModelTrainer.Train`'s own stopwatch, summed over the trials; CPU is user + system
            time over the sample; "work queued" is the share of 10 ms samples in which the thread pool had work items
            waiting; JIT is what the process compiled during the sample (`JitInfo`). On the server's timeline, from the
            orchestrations' histories: before 1st trial + trials + after last trial = DataScience → AwaitingApproval; the
            client's wall time adds its polling delay at each end (up to 500 ms at the end). CPU and runtime figures
            cover the client-observed span. The poll cost is the server's and Azurite's CPU per
            `GET /api/runs/(id)?trials=false`, measured with 20 more polls after the run.

            {string.Join("\n", results.Select(r => Details(r, cores)))}
            """;
    }

    /// <summary>One sweep's runs, its timeline and where the difference to in-process goes.</summary>
    private static string Details(CaseResult result, int cores)
    {
        var (sweep, durable, inProcess, _) = result;
        string S(double v) => v.ToString("0.00", Inv);
        string Ms(double v) => Math.Round(v * 1000) is var ms && ms == 0 ? "0" : ms.ToString("0", Inv); // never "-0"
        string X(double v) => v.ToString("0.0", Inv) + "×";
        string Opt(double? v) => v is { } x ? S(x) : "n/a";
        var trainers = sweep.Trials.Select(c => c.Trainer).Distinct().ToList();
        var trainerOf = sweep.Trials.Select((c, i) => (Id: $"t{i + 1:D3}", c.Trainer)).ToDictionary(x => x.Id, x => x.Trainer);
        double Sum(Dictionary<string, double> seconds, string trainer) => seconds.Where(x => trainerOf[x.Key] == trainer).Sum(x => x.Value);
        string PerTrainer(Dictionary<string, double> seconds) => string.Join(" / ", trainers.Select(t => S(Sum(seconds, t))));
        string Runtime(PoolStats p) => $"{Pct(p.QueuedShare)} | {p.WorkItems} | {Ms(p.GcPause)} ms, {p.Gen0}/{p.Gen1}/{p.Gen2}, {p.AllocatedMb.ToString("0", Inv)} MB | {p.JitMethods}, {Ms(p.JitSeconds)} ms";

        var runs = new StringBuilder()
            .AppendLine(Inv, $"| run | wall, client-observed (s) | Σ trainingSeconds (s) | of which {string.Join(" / ", trainers)} (s) | CPU s: this process / Azurite / rest of machine | thread pool: work queued | work items run | GC: pauses, gen0/1/2 collections, allocated | JIT: methods, time |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < durable.Count; i++)
        {
            var d = durable[i];
            runs.AppendLine(Inv, $"| durable {i + 1} | {S(d.Wall)} | {S(d.TrainingSum)} | {PerTrainer(d.Seconds)} | {S(d.Cpu)} / {Opt(d.AzuriteCpu)} / {Opt(Other(d.MachineCpu, d.Cpu, d.AzuriteCpu))} | {Runtime(d.Pool)} |");
        }
        for (var i = 0; i < inProcess.Count; i++)
        {
            var p = inProcess[i];
            runs.AppendLine(Inv, $"| in-process {i + 1} | {S(p.Wall)} | {S(p.TrainingSum)} | {PerTrainer(p.Seconds)} | {S(p.Cpu)} / {Opt(p.AzuriteCpu)} / {Opt(Other(p.MachineCpu, p.Cpu, p.AzuriteCpu))} | {Runtime(p.Pool)} |");
        }

        var timeline = new StringBuilder()
            .AppendLine("| run | DataScience → AwaitingApproval (s) | = before 1st trial (ms) | + 1st trial scheduled → last done (s) | + after last trial (ms) | of which fan-in (ms) | of which model card (ms) | of which approval request (ms) | trial activity − its training, mean (ms) | = scheduled → started + in it, besides training + ended → completed (ms) | trial done → next scheduled, mean (ms) | polls: count × CPU each (ms) |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < durable.Count; i++)
        {
            var d = durable[i];
            timeline.AppendLine(Inv, $"| durable {i + 1} | {S(d.ServerSpan)} | {Ms(d.BeforeFirstTrial)} | {S(d.TrialsSpan)} | {Ms(d.AfterLastTrial)} | {Ms(d.FanIn)} | {Ms(d.ModelCard)} | {Ms(d.ApprovalRequest)} | {Ms((d.ActivitySum - d.TrainingSum) / d.Trials)} | {Ms(d.ToStart / d.Trials)} + {Ms(d.BesidesTraining / d.Trials)} + {Ms(d.AfterEnd / d.Trials)} | {Ms(d.MeanDispatchGap)} | {d.Polls} × {Ms(d.PollCpu)} |");
        }

        // The median runs of each side; the durable one's parts add up to its wall time, and the in-process one's to its own.
        var m = durable.OrderBy(d => d.ServerSpan).ElementAt((durable.Count - 1) / 2);
        var q = inProcess.OrderBy(p => p.Wall).ElementAt((inProcess.Count - 1) / 2);
        var slots = cores * m.TrialsSpan;
        var idle = slots - m.ActivitySum;
        var overhead = m.ActivitySum - m.TrainingSum;
        var hops = m.AfterLastTrial - m.FanIn - m.ModelCard - m.ApprovalRequest;
        var qSlack = q.Wall - q.TrainingSum / cores;
        var busy = (m.Cpu + (m.AzuriteCpu ?? 0)) / (cores * m.Wall);
        var qBusy = (q.Cpu + (q.AzuriteCpu ?? 0)) / (cores * q.Wall);
        var parts = new (string Part, double Seconds)[]
        {
            ($"slower training: (Σ trainingSeconds {S(m.TrainingSum)} − {S(q.TrainingSum)}) / {cores} slots", (m.TrainingSum - q.TrainingSum) / cores),
            ($"the trial activities' other work: {S(overhead)} / {cores} slots", overhead / cores),
            ($"empty slots during the trials: {S(idle)} / {cores}, less in-process's own ({S(qSlack)}: model writes, uneven end)", idle / cores - qSlack),
            ("before the first trial + after the last", m.BeforeFirstTrial + m.AfterLastTrial),
        };
        var split = new StringBuilder()
            .AppendLine(Inv, $"| part of the difference ({S(m.ServerSpan)} s − {S(q.Wall)} s = {S(m.ServerSpan - q.Wall)} s) | s |")
            .AppendLine("|---|---|");
        foreach (var (part, seconds) in parts) split.AppendLine(Inv, $"| {part} | {S(seconds)} |");
        var largest = parts.MaxBy(p => p.Seconds);
        var perTrainer = string.Join(", ", trainers.Select(t => $"{t} {S(Sum(m.Seconds, t))} s against {S(Sum(q.Seconds, t))} s ({X(Sum(m.Seconds, t) / Sum(q.Seconds, t))})"));
        return $"""
            ### {sweep.Row}

            {runs}
            {timeline}
            Where the time goes: the median runs of each side, the difference split into parts that add up to it.

            {split}
            - **The largest part: {largest.Part.Split(':')[0]}** ({S(largest.Seconds)} s of {S(m.ServerSpan - q.Wall)} s).
            - **Training**: {perTrainer}. The trainers share the {cores} cores with the server's own work (gRPC sidecar and
              worker, the Azure Storage provider's queue and table traffic, the activities' storage I/O, Kestrel answering the
              polls) and with Azurite: together they kept {Pct(busy)} of the cores busy, against {Pct(qBusy)} in-process. The
              pool had work queued in {Pct(m.Pool.QueuedShare)} of samples against {Pct(q.Pool.QueuedShare)} in-process; GC
              paused the process for {Ms(m.Pool.GcPause)} ms against {Ms(q.Pool.GcPause)} ms; the JIT compiled {m.Pool.JitMethods}
              methods ({Ms(m.Pool.JitSeconds)} ms) during the run against {q.Pool.JitMethods} ({Ms(q.Pool.JitSeconds)} ms).
            - **The trial activities' other work**: {Ms(overhead / m.Trials)} ms per trial between an activity being scheduled and its
              completion that is not training: the work-item queue, the trial's and project's rows read, the curated
              version and its model input (both made once per process and shared by the trials, as in-process does
              untimed), the slices evaluated, model, frame and lineage stored together, then the trial row, reporting back.
            - **Empty slots**: a completion's round trip through the orchestrator before the next trial is scheduled,
              {Ms(m.MeanDispatchGap)} ms on average, and the uneven end of the sweep.
            - **Around the trials**: {Ms(m.BeforeFirstTrial)} ms from the DataScience update to the first trial (starting the training
              sub-orchestration, planning, the trials-total update) and {Ms(m.AfterLastTrial)} ms from the last trial to AwaitingApproval
              (fan-in {Ms(m.FanIn)} ms, model card {Ms(m.ModelCard)} ms, approval request {Ms(m.ApprovalRequest)} ms, {Ms(hops)} ms of orchestrator round trips).
            - **CPU**: the server process used {S(m.Cpu)} s and Azurite {Opt(m.AzuriteCpu)} s, against {S(q.Cpu)} s in-process for the same
              training. The benchmark's own poller accounts for about {S(m.Polls * m.PollCpu)} s of that ({m.Polls} polls × {Ms(m.PollCpu)} ms, server and
              Azurite).

            """;
    }
}
