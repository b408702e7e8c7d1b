using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Orchestrator.Bench;

/// <summary>
/// The predict benchmark's open-loop load generator, in a process of its own (<c>Orchestrator.Bench open-loop-client</c>):
/// as a real client would be, it has its own GC and allocations, so the server's pauses and the client's no longer fall on
/// each other. One dedicated thread sends request i at start + i / rate, sleeping between sends instead of spinning (a
/// spinning sender takes a core from the server on a 2-core machine); each latency runs from the scheduled send time to
/// the end of the response. Prints one line <c>open-loop-result {json}</c>.
/// </summary>
public static class OpenLoopClient
{
    /// <summary>The command line's first word that runs this client instead of a scenario.</summary>
    public const string Command = "open-loop-client";

    /// <summary>What the client reports: every latency, and how the client itself kept to its schedule.</summary>
    public sealed record Report(double[] Milliseconds, bool[] Ok, double Seconds, double MaxLateMs, double P99LateMs,
        double CpuSeconds, double GcPauseMs, int Gen0, int Gen1, int Gen2);

    /// <summary>The environment variable that carries the Authorization header's value (kept off the command line).</summary>
    public const string AuthorizationVariable = "BENCH_AUTHORIZATION";

    /// <summary>Runs the client: <c>--url U --bodies FILE --rate R --seconds S [--warmup-seconds W]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback ?? throw new ArgumentException($"{name} is required");
        var target = new Uri(Arg("--url"));
        var bodies = File.ReadAllLines(Arg("--bodies")).Where(l => l.Length > 0).Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        var rate = double.Parse(Arg("--rate"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Arg("--seconds"), CultureInfo.InvariantCulture);
        var warmup = double.Parse(Arg("--warmup-seconds", "1"), CultureInfo.InvariantCulture);
        var auth = Environment.GetEnvironmentVariable(AuthorizationVariable) ?? "";

        using var client = Predict.KeepAliveClient();
        if (auth.Length > 0) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth);
        // Warm-up at the same rate on the same connections (JIT, connection pool), not counted.
        if (warmup > 0) Run(client, target, bodies, rate, warmup);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (pause, g0, g1, g2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var report = Run(client, target, bodies, rate, seconds);
        report = report with
        {
            CpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            GcPauseMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
            Gen0 = GC.CollectionCount(0) - g0,
            Gen1 = GC.CollectionCount(1) - g1,
            Gen2 = GC.CollectionCount(2) - g2,
        };
        Console.WriteLine("open-loop-result " + JsonSerializer.Serialize(report));
        await Console.Out.FlushAsync();
        return 0;
    }

    private static Report Run(HttpClient client, Uri target, byte[][] bodies, double rate, double seconds)
    {
        var total = (int)Math.Round(rate * seconds);
        var latencies = new double[total];
        var oks = new bool[total];
        var late = new double[total];
        using var done = new CountdownEvent(total);
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var start = 0L;
        var sender = new Thread(() =>
        {
            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < total; i++)
            {
                var scheduled = start + (long)(i * ticksPerRequest);
                SleepUntil(scheduled);
                late[i] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                var index = i;
                // Sent from this thread (its synchronous part: the pooled connection and the write), completed on the pool.
                _ = Predict.SendAsync(client, target, bodies[i % bodies.Length]).ContinueWith(t =>
                {
                    oks[index] = t.Result;
                    latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                    done.Signal();
                }, TaskScheduler.Default);
            }
        }) { IsBackground = true, Name = "open-loop sender" };
        sender.Start();
        sender.Join();
        done.Wait();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var sortedLate = late.Order().ToArray();
        return new Report(latencies, oks, elapsed, sortedLate[^1], sortedLate[(int)Math.Min(sortedLate.Length - 1, Math.Ceiling(0.99 * sortedLate.Length) - 1)], 0, 0, 0, 0, 0);
    }

    /// <summary>Sleeps until the timestamp: the kernel's sleep to within ~0.1 ms of it, then a short spin.</summary>
    private static void SleepUntil(long timestamp)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (remaining <= TimeSpan.Zero) return;
            if (remaining > TimeSpan.FromMicroseconds(150))
            {
                // Thread.Sleep rounds to whole milliseconds; usleep wakes within the timer slack (50 µs by default).
                if (OperatingSystem.IsLinux()) _ = Usleep((uint)(remaining.TotalMicroseconds - 100));
                else Thread.Sleep(Math.Max(1, (int)remaining.TotalMilliseconds - 1));
            }
            else Thread.SpinWait(20);
        }
    }

    [DllImport("libc", EntryPoint = "usleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Usleep(uint microseconds);
}
