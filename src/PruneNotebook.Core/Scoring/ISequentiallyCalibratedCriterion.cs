using PruneNotebook.Core.Calibration;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// A criterion whose scores come from calibration inputs gathered block by block (<see cref="SequentialCalibration"/>):
/// the layers of a transformer block are scored on the outputs of the blocks before it as they are then. For the
/// scores to follow the papers (each block calibrated on the already pruned blocks before it), <see cref="Pruner"/>
/// scores such a criterion's targets in module order and zeroes each target's pruned entries before scoring the next.
/// </summary>
public interface ISequentiallyCalibratedCriterion : IEntryCriterion
{
}
