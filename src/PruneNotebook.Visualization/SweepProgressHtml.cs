using System.Globalization;
using System.Text;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Visualization;

/// <summary>A running sweep as HTML for a live-updating output: counts per state and one square per trial.</summary>
public static class SweepProgressHtml
{
    /// <summary>The counts line and a grid of squares (grey queued, blue running, green done, red failed), each titled with its trial and state.</summary>
    public static string ToHtml(SweepProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"margin:2px 0\"><b>").Append(Html.Encode(progress.Sweep)).Append("</b> · ").Append(Html.Encode(progress.Backend))
            .Append(" · ").Append(Html.Encode(progress.Summary))
            .Append(Html.Encode(string.Format(c, " · wave {0}/{1}{2} · {3:F0} s{4}", progress.Wave, progress.Waves,
                progress.Attempt > 1 ? $", retry {progress.Attempt - 1}" : "", progress.Seconds, progress.Finished ? " · finished" : "")))
            .Append("</div><div style=\"display:flex;flex-wrap:wrap;gap:2px;max-width:900px\">");
        for (var i = 0; i < progress.States.Count; i++)
        {
            var (color, word) = progress.States[i] switch
            {
                TrialState.Running => ("#1f77b4", "running"),
                TrialState.Done => ("#2ca02c", "done"),
                TrialState.Failed => ("#d62728", "failed"),
                _ => ("#d0d0d0", "queued"),
            };
            sb.Append("<span title=\"trial ").Append(i.ToString(c)).Append(": ").Append(word)
                .Append("\" style=\"display:inline-block;width:12px;height:12px;border-radius:2px;background:").Append(color).Append("\"></span>");
        }
        sb.Append("</div></div>");
        return sb.ToString();
    }
}
