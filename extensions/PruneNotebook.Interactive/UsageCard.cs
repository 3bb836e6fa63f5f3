namespace PruneNotebook.Interactive;

/// <summary>The short card shown when the extension loads.</summary>
internal static class UsageCard
{
    public const string Html =
        "<div style=\"font-family:system-ui,sans-serif;font-size:13px;border-left:4px solid #4a7;padding:4px 10px\">"
        + "<b>PruneNotebook</b> loaded. "
        + "<code>using PruneNotebook.Core.Data; using PruneNotebook.Core.Models; using PruneNotebook.Core.Optimization;</code><br/>"
        + "<code>#!summary &lt;model&gt; [--input-shape 1,1,28,28]</code> — layers, shapes, parameters and MACs (dense and nonzero).<br/>"
        + "Returning a <code>NetworkSummary</code> or <code>TrainingHistory</code> from a cell renders it as a table or learning curve."
        + "</div>";
}
