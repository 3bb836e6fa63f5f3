using System.Globalization;
using PruneNotebook.Core.Experiments;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>Runs a sweep with progress on the console (a bar when interactive, a line per finished trial otherwise) and shows the results.</summary>
internal static class SweepConsole
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static SweepOutcome Run(IAnsiConsole console, SweepDirectory sweep, ISweepBackend backend, SweepRunOptions options, bool showTrials = true)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            console.WriteLine($"{sweep.Spec.Name}: {sweep.Spec.Trials.Count} trials in {sweep.Path} · {backend.Describe()}");
            SweepOutcome outcome;
            if (console.Profile.Capabilities.Interactive)
            {
                outcome = console.Progress().Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(sweep.Spec.Name), maxValue: sweep.Spec.Trials.Count);
                    var progress = new Reporter(p =>
                    {
                        task.Value = p.Done + p.Failed;
                        task.Description = Markup.Escape(p.Summary);
                    });
                    return SweepRunner.Run(sweep, backend, options, progress, cancel.Token);
                });
            }
            else
            {
                var finished = -1;
                var progress = new Reporter(p =>
                {
                    if (p.Done + p.Failed != finished)
                    {
                        finished = p.Done + p.Failed;
                        console.WriteLine(p.Summary);
                    }
                });
                outcome = SweepRunner.Run(sweep, backend, options, progress, cancel.Token);
            }
            if (showTrials)
                console.Write(Results(outcome));
            return outcome;
        }
        catch (OperationCanceledException)
        {
            throw new SweepBackendException($"Interrupted: finished trials keep their results; resume with 'prunenotebook sweep resume {sweep.Path}'.");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>One row per trial: tags, state, attempt, seconds and the figures every finished trial has.</summary>
    public static Table Results(SweepOutcome outcome, IReadOnlyDictionary<int, TrialState>? live = null)
    {
        var spec = outcome.Sweep.Spec;
        var done = outcome.Results.Where(r => r?.Status == TrialOutcome.Done).Select(r => r!).ToList();
        var figures = done.Count == 0 ? [] : done.Select(r => r.Metrics.Keys).Aggregate((a, b) => a.Intersect(b).ToList()).Where(k => !k.EndsWith(".seconds", StringComparison.Ordinal)).Take(4).ToList();
        var tags = spec.Trials.SelectMany(t => t.Tags?.Keys ?? []).Distinct().ToList();
        var table = new Table().Title(Markup.Escape($"{spec.Name} · {outcome.Done}/{outcome.Results.Count} done · {outcome.Backend} · {outcome.Seconds:F1} s"))
            .AddColumn("trial").AddColumns(tags.Select(Markup.Escape).ToArray()).AddColumns("state", "attempt", "seconds").AddColumns(figures.Select(Markup.Escape).ToArray());
        for (var i = 0; i < outcome.Results.Count; i++)
        {
            var result = outcome.Results[i];
            var row = new List<string> { i.ToString(C) };
            row.AddRange(tags.Select(t => Markup.Escape(spec.Trials[i].Tags?.GetValueOrDefault(t) ?? "")));
            row.Add(live?.GetValueOrDefault(i) is TrialState.Running ? "running"
                : result is null ? "queued" : result.Status == TrialOutcome.Done ? "done" : "[red]failed[/]");
            row.Add(result?.Attempt.ToString(C) ?? "");
            row.Add(result is null ? "" : result.Seconds.ToString("F1", C));
            row.AddRange(figures.Select(f => result is not null && result.Metrics.TryGetValue(f, out var v) ? v.ToString("G5", C) : ""));
            table.AddRow(row.ToArray());
        }
        return table;
    }

    /// <summary>Reports on the thread that raises them, one at a time.</summary>
    private sealed class Reporter(Action<SweepProgress> show) : IProgress<SweepProgress>
    {
        private readonly Lock _gate = new();

        public void Report(SweepProgress value)
        {
            lock (_gate)
                show(value);
        }
    }
}
