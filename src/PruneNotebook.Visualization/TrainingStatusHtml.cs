using System.Globalization;
using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>HTML for a live <see cref="TrainingStatus"/> and for the <see cref="TrainingPlan"/> shown before a run.</summary>
public static class TrainingStatusHtml
{
    /// <summary>One status line (epoch, batch, running loss, last validation accuracy, elapsed time) above the learning curves.</summary>
    /// <param name="status">The run as it stands.</param>
    /// <param name="includePlotlyJs">Whether to inline plotly.js (see <see cref="PlotlyHtml.Fragment"/>).</param>
    public static string ToHtml(TrainingStatus status, bool includePlotlyJs)
    {
        ArgumentNullException.ThrowIfNull(status);
        var html = "<div style=\"font-family:monospace;margin:4px 0\">" + Html.Encode(StatusLine(status)) + "</div>";
        return status.History.Epochs.Count == 0 && status.Progress is null
            ? html
            : html + PlotlyHtml.Fragment(TrainingHistoryChart.ToChart(status.History, progress: status.Progress), includePlotlyJs);
    }

    /// <summary>The status line alone, e.g. <c>epoch 2/5 · batch 120/469 · running loss 0.4312 · val acc 86.10 % (epoch 1) · 12.3 s</c>.</summary>
    public static string StatusLine(TrainingStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var c = CultureInfo.InvariantCulture;
        var history = status.History;
        var parts = new List<string>();
        var state = status.State switch
        {
            TrainingState.Running => "training",
            TrainingState.Finished => "finished",
            TrainingState.StoppedEarly => "stopped early",
            _ => "cancelled",
        };
        parts.Add(state);
        if (status.Progress is { } p)
        {
            parts.Add($"epoch {p.Epoch}/{status.PlannedEpochs}");
            parts.Add($"batch {p.Batch}/{p.BatchesPerEpoch}");
            parts.Add(string.Format(c, "running loss {0:F4}", p.RunningTrainLoss));
            parts.Add(string.Format(c, "lr {0:G4}", p.LearningRate));
        }
        else
        {
            parts.Add($"{history.Epochs.Count}/{status.PlannedEpochs} epochs");
        }
        if (history.Epochs.LastOrDefault(e => e.TestAccuracy.HasValue) is { } last)
            parts.Add($"val acc {Html.Percent(last.TestAccuracy!.Value, 2)} (epoch {last.Epoch})");
        if (history.BestEpoch is { } best)
            parts.Add($"best epoch {best} restored");
        parts.Add(string.Format(c, "{0:F1} s", history.TotalSeconds));
        return string.Join(" · ", parts);
    }

    /// <summary>A two-column table of the run's settings.</summary>
    public static string PlanHtml(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("<div><b>Training ").Append(Html.Encode(plan.ModelName)).Append("</b> on ").Append(Html.Count(plan.TrainExamples)).Append(" examples");
        if (plan.ValidationExamples > 0)
            sb.Append(", validating on ").Append(Html.Count(plan.ValidationExamples));
        sb.Append("</div>");
        Html.TableStart(sb, "setting", "value");
        foreach (var (name, value) in plan.Settings)
        {
            sb.Append("<tr>");
            Html.Cell(sb, Html.Encode(name));
            Html.Cell(sb, Html.Encode(value), monospace: true);
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }
}
