using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Projects;

/// <summary>Checks a project definition, whoever changes which part of it; every problem is reported against its field.</summary>
public static class ProjectValidation
{
    /// <summary>Checks a definition read from JSON: every problem against its field; the definition with defaults filled in, or null.</summary>
    public static (ProjectDefinition? Project, Dictionary<string, string[]> Errors) Validate(ProjectDefinition project, ApprovalOptions? approvals = null)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var list) ? [.. list, message] : [message];

        if (!MlTask.All.Contains(project.Task)) Add("task", $"Must be one of {string.Join(", ", MlTask.All)}.");
        if (string.IsNullOrWhiteSpace(project.Label)) Add("label", "The label column is required.");
        if (project.Features?.Contains(project.Label) == true) Add("features", "The label cannot also be a feature.");
        var metrics = Metrics.ByTask.GetValueOrDefault(project.Task) ?? [];
        if (string.IsNullOrWhiteSpace(project.PrimaryMetric)) Add("primaryMetric", "The primary metric is required.");
        else if (metrics.Length > 0 && !metrics.Contains(project.PrimaryMetric))
            Add("primaryMetric", $"'{project.PrimaryMetric}' is not a {project.Task} metric; use one of {string.Join(", ", metrics)}.");
        for (var i = 0; i < (project.Kpis?.Count ?? 0); i++)
        {
            var kpi = project.Kpis![i];
            if (metrics.Length > 0 && !metrics.Contains(kpi.Metric)) Add($"kpis[{i}].metric", $"'{kpi.Metric}' is not a {project.Task} metric.");
            if (kpi.Min is null && kpi.Max is null) Add($"kpis[{i}]", "A KPI needs min or max.");
        }
        if (project.Approvers is not { Count: > 0 }) Add("approvers", "At least one approver email or group is required.");
        // Each address is kept as its bare, lower-case mailbox (one person, one identity); group names as written.
        List<string> People(string field, IReadOnlyList<string>? entries)
        {
            var people = new List<string>();
            for (var i = 0; i < (entries?.Count ?? 0); i++)
            {
                var entry = entries![i];
                if (entry.Contains('@') || entry.Contains(',') || entry.Contains(';'))
                {
                    if (Mailbox.TryNormalize(entry, out var mailbox, out var problem)) people.Add(mailbox);
                    else Add($"{field}[{i}]", problem);
                }
                else if (approvals?.Groups.ContainsKey(entry) == true) people.Add(entry.Trim());
                else Add($"{field}[{i}]", $"'{entry}' is neither an email address nor a configured group (Approvals:Groups).");
            }
            return people.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
        var approvers = People("approvers", project.Approvers);
        var escalationContacts = People("escalationContacts", project.EscalationContacts);
        var resolved = approvals?.Resolve(approvers) ?? approvers.Where(a => a.Contains('@')).ToList();
        if (project.Quorum < 1) Add("quorum", "At least 1.");
        else if (resolved is { Count: > 0 } && project.Quorum > resolved.Count) Add("quorum", $"{project.Quorum} approvals needed but only {resolved.Count} approvers.");
        if (project.ApprovalTimeout <= TimeSpan.Zero) Add("approvalTimeout", "Must be a positive duration such as 168:00:00.");
        if (project.RemindAfter < TimeSpan.Zero) Add("remindAfter", "Must not be negative (00:00:00 turns reminders off).");
        if (project.EscalateAfter < TimeSpan.Zero) Add("escalateAfter", "Must not be negative.");
        if (project.RetrainSchedule is not null && !RetrainingScheduler.TryParseSchedule(project.RetrainSchedule, out _))
            Add("retrainSchedule", "Must be an NCRONTAB expression with seconds, e.g. '0 0 2 * * *' (daily at 02:00 UTC).");
        if (project.TestFraction is <= 0 or >= 1) Add("testFraction", "Must be between 0 and 1.");
        if (project.RetrainWhen is not (RetrainCondition.NewData or RetrainCondition.Always)) Add("retrainWhen", $"'{RetrainCondition.NewData}' or '{RetrainCondition.Always}'.");
        var monitoring = project.Monitoring ?? new();
        if (project.Monitoring is { } m)
        {
            if (m.Window < TimeSpan.FromMinutes(1)) Add("monitoring.window", "At least one minute, e.g. 1.00:00:00.");
            if (m.Interval is { } interval && interval < TimeSpan.FromMinutes(1)) Add("monitoring.interval", "At least one minute.");
            if (m.Cooldown < TimeSpan.Zero) Add("monitoring.cooldown", "Must not be negative.");
            if (m.NumericThreshold <= 0) Add("monitoring.numericThreshold", "Above 0.");
            if (m.CategoricalThreshold is <= 0 or > 1) Add("monitoring.categoricalThreshold", "Above 0, at most 1.");
            if (m.PValue is <= 0 or >= 1) Add("monitoring.pValue", "Between 0 and 1.");
            if (m.DatasetDriftShare is <= 0 or > 1) Add("monitoring.datasetDriftShare", "Above 0, at most 1.");
            if (m.AlertEmails is not null) monitoring = monitoring with { AlertEmails = People("monitoring.alertEmails", m.AlertEmails) };
        }
        foreach (var (field, message) in DeploymentSettings.Problems(project.Deployment)) Add(field, message);
        if (project.BatchScoring is { } batch)
        {
            if (batch.Dataset is null || !Names.IsValidName(batch.Dataset)) Add("batchScoring.dataset", "The dataset to score: its name in this project.");
            if (!RetrainingScheduler.TryParseSchedule(batch.Schedule, out _))
                Add("batchScoring.schedule", "An NCRONTAB expression with seconds, e.g. '0 0 3 * * *' (daily at 03:00 UTC).");
            if (batch.Rows is not null && !Workflows.Serving.BatchRows.Choices.Contains(batch.Rows))
                Add("batchScoring.rows", $"One of {string.Join(", ", Workflows.Serving.BatchRows.Choices)}.");
        }
        if (project.Candidates is not null)
            foreach (var (field, message) in SearchSpace.Validate(project.Task, project.Candidates))
                Add(field, message);
        if (project.SearchSpace is not null)
            foreach (var (field, message) in SearchStrategies.Validate(project.Task, project.SearchSpace))
                Add(field, message);
        if (project.MaxParallelTrials is < 1 or > 64) Add("maxParallelTrials", "Between 1 and 64.");
        if (project.MaxFailedTrials is < 0) Add("maxFailedTrials", "0 or more.");
        if (project.TimeBudget is { } tb && tb <= TimeSpan.Zero) Add("timeBudget", "A positive duration such as 00:30:00.");
        if (project.StopWhen is { } stop && (!metrics.Contains(stop.Metric) || (stop.Min is null && stop.Max is null)))
            Add("stopWhen", $"A {project.Task} metric with min or max, e.g. {{\"metric\": \"{metrics.FirstOrDefault()}\", \"min\": 0.9}}.");
        if (project.MinImprovement is < 0) Add("minImprovement", "0 or more.");
        if (project.Featurization is { } f)
        {
            if (!Featurization.MissingModes.Contains(f.MissingValues)) Add("featurization.missingValues", $"One of {string.Join(", ", Featurization.MissingModes)}.");
            if (!Featurization.NormalizeModes.Contains(f.Normalize)) Add("featurization.normalize", $"One of {string.Join(", ", Featurization.NormalizeModes)}.");
            if (!Featurization.CategoricalModes.Contains(f.Categorical)) Add("featurization.categorical", $"One of {string.Join(", ", Featurization.CategoricalModes)}.");
            if (f.Exclude?.Contains(project.Label) == true) Add("featurization.exclude", "The label cannot be excluded.");
        }
        foreach (var (field, message) in SliceEvaluation.Validate(project)) Add(field, message);
        if (project.CrossValidationFolds is < 2 or > 10) Add("crossValidationFolds", "Between 2 and 10 (or null for the train/test split alone).");
        foreach (var field in NonFiniteNumbers(project)) Add(field, "A finite number is required (not NaN, Infinity or beyond ±1.8e308).");
        return (errors.Count == 0 ? project with { Kpis = project.Kpis ?? [], Approvers = approvers, EscalationContacts = escalationContacts, Monitoring = monitoring } : null, errors);
    }

    /// <summary>
    /// The number fields that are NaN or infinite (JSON's <c>1e400</c> reads as infinity, <c>"NaN"</c> as NaN): compared
    /// with a threshold or a fraction, NaN passes every check and infinity breaks the arithmetic after it.
    /// </summary>
    private static IEnumerable<string> NonFiniteNumbers(ProjectDefinition project)
    {
        var numbers = new List<(string Field, double? Value)>
        {
            ("testFraction", project.TestFraction), ("minImprovement", project.MinImprovement),
            ("stopWhen.min", project.StopWhen?.Min), ("stopWhen.max", project.StopWhen?.Max),
            ("featurization.missingConstant", project.Featurization?.MissingConstant),
            ("monitoring.numericThreshold", project.Monitoring?.NumericThreshold), ("monitoring.categoricalThreshold", project.Monitoring?.CategoricalThreshold),
            ("monitoring.pValue", project.Monitoring?.PValue), ("monitoring.datasetDriftShare", project.Monitoring?.DatasetDriftShare),
            ("searchSpace.eta", project.SearchSpace?.Eta), ("searchSpace.minBudget", project.SearchSpace?.MinBudget),
        };
        for (var i = 0; i < (project.Kpis?.Count ?? 0); i++)
            numbers.AddRange([($"kpis[{i}].min", project.Kpis![i].Min), ($"kpis[{i}].max", project.Kpis[i].Max)]);
        for (var i = 0; i < (project.Candidates?.Count ?? 0); i++)
            numbers.AddRange(project.Candidates![i].Parameters.Select(p => ($"candidates[{i}].parameters.{p.Key}", (double?)p.Value)));
        return numbers.Where(n => n.Value is { } value && !double.IsFinite(value)).Select(n => n.Field);
    }
}
