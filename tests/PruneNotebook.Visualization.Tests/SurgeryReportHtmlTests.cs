using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class SurgeryReportHtmlTests
{
    [Fact]
    public void The_surgery_table_shows_figures_before_and_after_with_their_ratios_and_the_rebuilt_layers()
    {
        var report = new SurgeryReport("compress l1 50 % local", "VggNet", [1, 1, 28, 28], 64,
            new NetworkFigures(120_000, 7_457_152, 12.5, 0.9012), new NetworkFigures(31_000, 1_903_808, 4.0, 0.8954),
            [new LayerChange("features.conv2", "Conv2d", 16, 8, 16, 8), new LayerChange("fc2", "Linear", 10, 10, 128, 64)], []);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains("VggNet · compress l1 50 % local", html);
        Assert.Contains(">120,000<", html);
        Assert.Contains(">3.87× fewer<", html);
        Assert.Contains(">7.46 M<", html);
        Assert.Contains(">3.92× fewer<", html);
        Assert.Contains("Latency (batch 64)", html);
        Assert.Contains(">12.50 ms<", html);
        Assert.Contains(">3.13× faster<", html);
        Assert.Contains(">90.12 %<", html);
        Assert.Contains(">−0.58 pt<", html);
        Assert.Contains(">16 → 8<", html);
        Assert.Contains(">10<", html);
        Assert.Contains(">128 → 64<", html);
        Assert.DoesNotContain("bypassed", html);
        Assert.DoesNotContain("channels-last", html);
    }

    [Fact]
    public void Image_networks_also_show_their_channels_last_latency_and_what_serving_them_so_gains()
    {
        var report = new SurgeryReport("compress l1 50 % local", "VggNet", [1, 3, 32, 32], 64,
            new NetworkFigures(2_198_602, 100_000_000, 90.0, null, 63.0), new NetworkFigures(815_018, 25_000_000, 28.0, null, 20.0), [], []);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains(">Latency, channels-last batch<", html);
        Assert.Contains(">63.00 ms<", html);
        Assert.Contains(">3.15× faster<", html); // 63 / 20, same layout
        Assert.Contains(">3.21× faster<", html); // 90 / 28, as called
        Assert.Contains("the new network runs 4.50× faster than the old one did as it was called", html); // 90 / 20
        Assert.Equal(4.5, report.ChannelsLastSpeedup);
    }

    [Fact]
    public void Layer_pruning_lists_every_candidate_and_marks_the_dropped_ones()
    {
        var report = new SurgeryReport("drop 1 layer", "ResNet20", [1, 1, 28, 28], 64,
            new NetworkFigures(270_000, 40_000_000, 30, null), new NetworkFigures(265_000, 38_000_000, 28, null), [],
            [new LayerDropCandidate("stage1.2", "BasicBlock", 0.861, true), new LayerDropCandidate("stage3.1", "BasicBlock", 0.42, false)]);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains("Layers ranked by accuracy when bypassed", html);
        Assert.Contains(">stage1.2<", html);
        Assert.Contains(">86.10 %<", html);
        Assert.Contains(">✓<", html);
        Assert.Contains(">42.00 %<", html);
        Assert.DoesNotContain("Accuracy<", html);
        Assert.DoesNotContain("Rebuilt layers", html);
        Assert.Equal(1, html.Split("✓").Length - 1);
    }

    [Fact]
    public void The_notebook_renderer_renders_surgery_reports()
    {
        Assert.Contains(typeof(SurgeryReport), NotebookRenderer.SupportedTypes);
        var report = new SurgeryReport("trim", "LeNet5", [1, 1, 28, 28], 64, new NetworkFigures(10, 100, 1, null), new NetworkFigures(5, 50, 0.5, null), [], []);
        Assert.Contains("LeNet5 · trim", new NotebookRenderer().Render(report));
    }

    [Fact]
    public void A_removal_that_fell_short_lists_every_group_that_kept_units_and_why()
    {
        var removal = new RemovalSummary("units", 40, 24,
            [new KeptUnits("c1 + c2", 16, 8, "fixed: the network output"), new KeptUnits("fc1", 120, 8, "max fraction 0.8 reached")]);
        var report = new SurgeryReport("compress l1 50 % local", "Net", [1, 3, 16, 16], 64,
            new NetworkFigures(14_666, 100, 1, null), new NetworkFigures(9_000, 60, 0.8, null), [], [], removal);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains(">Removed 24 of 40 requested units; 16 could not be:<", html);
        Assert.Contains(">Kept of the request<", html);
        Assert.Contains(">c1 + c2<", html);
        Assert.Contains(">fixed: the network output<", html);
        Assert.Contains(">max fraction 0.8 reached<", html);
        Assert.Equal("Removed 24 of 40 requested units; 16 could not be: 8 in 'c1 + c2' (fixed: the network output); 8 in 'fc1' (max fraction 0.8 reached).", removal.Shortfall);
    }

    [Fact]
    public void A_complete_removal_is_one_quiet_line_and_a_candidate_called_twice_says_so()
    {
        var report = new SurgeryReport("drop 1 layer", "Net", [1, 1, 8, 8], 64, new NetworkFigures(10, 100, 1, null), new NetworkFigures(5, 50, 0.5, null), [],
            [new LayerDropCandidate("blocks.0", "ResidualConv", 0.5, true, Calls: 2)], new RemovalSummary("layers", 1, 1, []));
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains(">Removed 1 of 1 requested layers.<", html);
        Assert.DoesNotContain("Kept of the request", html);
        Assert.Contains(">ResidualConv (called 2×, bypassed at every call)<", html);
        Assert.Null(report.Removal!.Shortfall);
    }
}
