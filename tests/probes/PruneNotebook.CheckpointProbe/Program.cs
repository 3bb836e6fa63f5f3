// Trains a model large enough that each checkpoint takes a noticeable time to write, with a checkpoint after every
// epoch, until it is killed. Prints "epoch N" when epoch N ends, just before its checkpoint is written.
// Usage: PruneNotebook.CheckpointProbe <checkpoint path>
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using PruneNotebook.CheckpointProbe;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: PruneNotebook.CheckpointProbe <checkpoint path>");
    return 2;
}
using var data = ProbeModel.Data();
using var model = ProbeModel.Create();
new Trainer(ProbeModel.Options(args[0])).Fit(model, data, callbacks: [new PrintEpochs()]);
return 0;

/// <summary>Announces each finished epoch on stdout.</summary>
internal sealed class PrintEpochs : ITrainingCallback
{
    public bool OnEpochEnd(EpochMetrics metrics)
    {
        Console.WriteLine($"epoch {metrics.Epoch}");
        Console.Out.Flush();
        return true;
    }
}
