namespace PruneNotebook.Interactive;

/// <summary>The short card shown when the extension loads.</summary>
internal static class UsageCard
{
    public const string Html =
        "<div style=\"font-family:system-ui,sans-serif;font-size:13px;border-left:4px solid #4a7;padding:4px 10px\">"
        + "<b>PruneNotebook</b> loaded. "
        + "<code>using PruneNotebook.Core.Data; using PruneNotebook.Core.Models; using PruneNotebook.Core.Optimization;</code><br/>"
        + "<code>#!summary &lt;model&gt; [--input-shape 1,1,28,28]</code> — layers, shapes, parameters and MACs (dense and nonzero).<br/>"
        + "<code>#!prune &lt;model&gt; --amount 0.9 [--criterion l1|l2|ln|random|taylor|apoz|bn] [--scope local|global] [--structured [--dim 0]] [--layers conv1,fc1]</code> — prune by masks.<br/>"
        + "<code>#!sparsity &lt;model&gt;</code> — sparsity maps; <code>#!sensitivity &lt;model&gt; --data &lt;dataset&gt; [--amounts 0.3,0.6,0.9]</code> — per-layer sensitivity.<br/>"
        + "<code>#!train &lt;model&gt; --data &lt;dataset&gt; [--optimizer adam] [--lr 1e-3] [--epochs 5] [--schedule cosine] [--l1 1e-5 --l2 1e-4] [--early-stopping 3] [--checkpoint file]</code> — train with a live learning curve.<br/>"
        + "<code>#!select-features breast_cancer --method rfe|lasso|permutation --k 10</code>, <code>#!cv logistic,mlp --data wine --folds 5</code>, <code>#!search mlp --data wine --random 20 --space \"lr=loguniform(1e-3,1e-1)\"</code> — feature, model and hyperparameter selection (<code>using PruneNotebook.Core.Selection;</code>).<br/>"
        + "<code>#!trim &lt;model&gt;</code>, <code>#!compress &lt;model&gt; --amount 0.5 [--criterion l1|l2|ln|random|taylor|apoz|bn] [--round-to 8] [--ignore fc3] [--channels-last]</code>, <code>#!drop-layers &lt;model&gt; --count 2 --data &lt;dataset&gt;</code>, <code>#!fold-bn &lt;model&gt;</code> — physically smaller networks, before/after with measured latency.<br/>"
        + "<code>#!tradeoff &lt;model&gt; --data &lt;fashion&gt; --sparsities 0.5,0.75,0.9 [--criteria l2] [--seeds 3] [--backend local|slurm] [--workers 2]</code> — a tradeoff study in worker processes (random and magnitude baselines included), accuracy vs compression and speedup with error bars.<br/>"
        + "<code>#!recipe &lt;file.yaml&gt; [--model v]</code> — run a recipe file (the same steps as <code>prunenotebook run</code>); <code>--show-recipe</code> on a magic that changes a model prints its recipe step.<br/>"
        + "Returning a <code>NetworkSummary</code>, <code>TrainingHistory</code>, <code>TrainingComparison</code>, <code>WeightDistributions</code>, <code>SparsityReport</code>, <code>SparsityMap</code>, <code>SensitivityReport</code>, <code>PruningComparison</code>, <code>PerplexityComparison</code>, <code>SurgeryReport</code>, <code>CandidateComparison</code> or <code>SearchResult</code> or <code>TradeoffResult</code> from a cell renders it."
        + "</div>";
}
