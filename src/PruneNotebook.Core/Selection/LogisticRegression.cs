using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Logistic regression with scikit-learn's parametrisation: minimise C·Σᵢ log-loss(xᵢ, yᵢ) + r(w), where r is ½‖w‖² (L2),
/// ‖w‖₁ (L1) or ρ‖w‖₁ + (1 − ρ)/2·‖w‖² (Elastic Net) and the intercepts are not penalised. Two classes use one
/// coefficient row and the sigmoid; more classes the multinomial (softmax) model with one row per class, as scikit-learn's
/// default. L2 is solved by damped Newton steps, L1 and Elastic Net by FISTA; every iteration runs on the data's device in
/// float64 and the host reads one convergence scalar per Newton step or per 20 proximal steps.
/// </summary>
/// <param name="c">C &gt; 0: inverse penalty strength.</param>
/// <param name="penalty">The penalty.</param>
/// <param name="l1Ratio">ρ in [0, 1] for <see cref="LogisticPenalty.ElasticNet"/>.</param>
/// <param name="fitIntercept">Estimate the intercepts.</param>
/// <param name="tolerance">Stop when the largest parameter change of a step is below tol·max(1, max|θ|).</param>
/// <param name="maxIterations">Maximum Newton steps (L2) or proximal-gradient steps (L1, Elastic Net).</param>
public sealed class LogisticRegression(double c = 1.0, LogisticPenalty penalty = LogisticPenalty.L2, double l1Ratio = 0.5, bool fitIntercept = true,
    double tolerance = 1e-6, int maxIterations = 10_000) : IEstimator
{
    private const int CheckEvery = 20;

    /// <summary>C.</summary>
    public double C { get; } = c;

    /// <summary>The penalty.</summary>
    public LogisticPenalty Penalty { get; } = penalty;

    /// <summary>ρ (Elastic Net only).</summary>
    public double L1Ratio { get; } = l1Ratio;

    /// <summary>Whether intercepts are estimated.</summary>
    public bool FitIntercept { get; } = fitIntercept;

    /// <summary>The step tolerance.</summary>
    public double Tolerance { get; } = tolerance;

    /// <summary>The iteration budget.</summary>
    public int MaxIterations { get; } = maxIterations;

    /// <inheritdoc />
    public string Name => "LogisticRegression";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters
    {
        get
        {
            var parameters = new Dictionary<string, object> { ["C"] = C, ["penalty"] = Penalty.ToString().ToLowerInvariant() };
            if (Penalty == LogisticPenalty.ElasticNet)
                parameters["l1_ratio"] = L1Ratio;
            return parameters;
        }
    }

    /// <summary>Fits on <paramref name="data"/>, which must have class targets (at least two classes).</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range, or the data are not a classification dataset with ≥ 2 classes.</exception>
    public LogisticModel Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(data);
        TorchNativeLibraries.EnsureLoaded();
        using var scope = NewDisposeScope();
        var classes = data.ClassNames!.Count;
        var rows = classes == 2 ? 1 : classes;
        var n = data.Count;
        var x = data.Features.to_type(ScalarType.Float64);
        if (FitIntercept)
            x = cat([x, ones(n, 1, dtype: ScalarType.Float64, device: x.device)], 1);
        var p = (int)x.shape[1];
        var labels = data.Labels();
        var y = rows == 1 ? labels.to_type(ScalarType.Float64).unsqueeze(1) : nn.functional.one_hot(labels, classes).to_type(ScalarType.Float64);
        var mask = ones(rows, p, dtype: ScalarType.Float64, device: x.device);
        if (FitIntercept)
            mask[TensorIndex.Colon, TensorIndex.Single(p - 1)] = zeros(rows, dtype: ScalarType.Float64, device: x.device);
        var problem = new Problem(x, y, mask, C, Penalty switch
        {
            LogisticPenalty.L2 => 1.0,
            LogisticPenalty.L1 => 0.0,
            _ => 1 - L1Ratio,
        }, Penalty switch
        {
            LogisticPenalty.L2 => 0.0,
            LogisticPenalty.L1 => 1.0,
            _ => L1Ratio,
        });
        var (theta, iterations, converged) = Penalty == LogisticPenalty.L2 ? Newton(problem) : Fista(problem);
        var values = theta.cpu().data<double>().ToArray();
        var d = data.FeatureCount;
        var coefficients = Enumerable.Range(0, rows).Select(r => (IReadOnlyList<double>)values[(r * p)..(r * p + d)]).ToArray();
        var intercepts = Enumerable.Range(0, rows).Select(r => FitIntercept ? values[r * p + p - 1] : 0).ToArray();
        var label = string.Create(CultureInfo.InvariantCulture, $"LogisticRegression(C={C:G4}, {Penalty.ToString().ToLowerInvariant()}{(Penalty == LogisticPenalty.ElasticNet ? $", l1_ratio={L1Ratio:G3}" : "")})");
        return new LogisticModel(label, coefficients, intercepts, data.ClassNames!, data.FeatureNames, iterations, converged, FitIntercept);
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);

    private void Validate(TabularDataset data)
    {
        if (!data.IsClassification)
            throw new ArgumentException($"Logistic regression needs class targets, but '{data.Name}' is a regression dataset.", nameof(data));
        if (data.ClassNames!.Count < 2)
            throw new ArgumentException($"Logistic regression needs at least 2 classes, '{data.Name}' has {data.ClassNames.Count}.", nameof(data));
        if (data.Count < 1)
            throw new ArgumentException($"Dataset '{data.Name}' has no rows.", nameof(data));
        if (!(C > 0) || double.IsInfinity(C))
            throw new ArgumentException($"C must be a finite number above 0, got {C}.", nameof(C));
        if (!(L1Ratio >= 0 && L1Ratio <= 1))
            throw new ArgumentException($"l1_ratio must be in [0, 1], got {L1Ratio}.", nameof(L1Ratio));
        if (!(Tolerance > 0))
            throw new ArgumentException($"tolerance must be above 0, got {Tolerance}.", nameof(Tolerance));
        if (MaxIterations < 1)
            throw new ArgumentException($"max iterations must be at least 1, got {MaxIterations}.", nameof(MaxIterations));
    }

    /// <summary>X̃ (n, p) with the intercept column last, targets (n, rows), penalty mask (rows, p), C and the penalty weights.</summary>
    private sealed record Problem(Tensor X, Tensor Y, Tensor Mask, double C, double L2, double L1)
    {
        public bool Binary => Y.shape[1] == 1;

        public Tensor Logits(Tensor theta) => X.mm(theta.t());

        /// <summary>C·Σ log-loss + (L2/2)·‖w‖² (the smooth part), a scalar tensor.</summary>
        public Tensor Smooth(Tensor theta)
        {
            var z = Logits(theta);
            var loss = Binary ? nn.functional.softplus(z).sub(z.mul(Y)).sum() : z.log_softmax(1).mul(Y).sum().neg();
            return loss.mul(C).add(theta.mul(Mask).square().sum().mul(L2 / 2));
        }

        public Tensor Gradient(Tensor theta)
        {
            var z = Logits(theta);
            var residual = (Binary ? z.sigmoid() : z.softmax(1)).sub(Y);
            return residual.t().mm(X).mul(C).add(theta.mul(Mask).mul(L2));
        }
    }

    private (Tensor Theta, int Iterations, bool Converged) Newton(Problem problem)
    {
        var x = problem.X;
        var (rows, p) = ((int)problem.Y.shape[1], (int)x.shape[1]);
        var theta = zeros(rows, p, dtype: ScalarType.Float64, device: x.device);
        var penalty = diag(problem.Mask.reshape(-1));
        Tensor? nullDirection = null;
        if (!problem.Binary && FitIntercept)
        {
            // Softmax is unchanged by adding one constant to every class's intercept: H is singular along that direction
            // and the gradient is orthogonal to it. Adding u·uᵀ makes H invertible without changing the step (uᵀs = 0).
            var u = zeros(rows, p, dtype: ScalarType.Float64, device: x.device);
            u[TensorIndex.Colon, TensorIndex.Single(p - 1)] = full(rows, 1 / Math.Sqrt(rows), dtype: ScalarType.Float64, device: x.device);
            nullDirection = u.reshape(-1, 1).mm(u.reshape(1, -1));
        }
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            using var step = NewDisposeScope();
            var z = problem.Logits(theta);
            var gradient = problem.Gradient(theta).reshape(-1);
            Tensor hessian;
            if (problem.Binary)
            {
                var s = z.sigmoid();
                hessian = x.t().mm(x.mul(s.mul(1 - s))).mul(problem.C);
            }
            else
            {
                var probabilities = z.softmax(1);
                var blocks = new Tensor[rows];
                for (var k = 0; k < rows; k++)
                {
                    var row = new Tensor[rows];
                    for (var l = 0; l < rows; l++)
                    {
                        var weight = probabilities[TensorIndex.Colon, TensorIndex.Single(k)].mul((k == l ? 1.0 : 0.0) - probabilities[TensorIndex.Colon, TensorIndex.Single(l)]);
                        row[l] = x.t().mm(x.mul(weight.unsqueeze(1)));
                    }
                    blocks[k] = cat(row, 1);
                }
                hessian = cat(blocks, 0).mul(problem.C);
            }
            hessian = hessian.add(penalty);
            if (nullDirection is not null)
                hessian = hessian.add(nullDirection);
            var direction = linalg.solve(hessian, gradient.unsqueeze(1)).reshape(rows, p);
            var before = problem.Smooth(theta).item<double>();
            var slope = gradient.dot(direction.reshape(-1)).item<double>();
            var t = 1.0;
            Tensor candidate = theta.sub(direction);
            for (var halvings = 0; halvings < 40 && problem.Smooth(candidate).item<double>() > before - 1e-4 * t * slope; halvings++)
            {
                t /= 2;
                candidate = theta.sub(direction.mul(t));
            }
            var change = direction.abs().max().item<double>() * t;
            var size = Math.Max(1, candidate.abs().max().item<double>());
            theta.Dispose();
            theta = candidate.MoveToOuterDisposeScope();
            if (change <= Tolerance * size)
                return (theta, iteration, true);
        }
        return (theta, MaxIterations, false);
    }

    private (Tensor Theta, int Iterations, bool Converged) Fista(Problem problem)
    {
        var x = problem.X;
        var (rows, p) = ((int)problem.Y.shape[1], (int)x.shape[1]);
        // Lipschitz constant of the smooth part: C·c·λmax(X̃ᵀX̃) + L2, with c = 1/4 (sigmoid) or 1/2 (softmax).
        double lipschitz;
        using (NewDisposeScope())
            lipschitz = problem.C * (problem.Binary ? 0.25 : 0.5) * linalg.eigvalsh(x.t().mm(x)).max().item<double>() + problem.L2;
        var stepSize = 1 / lipschitz;
        var threshold = problem.Mask.mul(stepSize * problem.L1);
        var theta = zeros(rows, p, dtype: ScalarType.Float64, device: x.device);
        var momentum = theta.clone();
        double tau = 1, lastObjective = double.PositiveInfinity;
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            using var step = NewDisposeScope();
            var moved = momentum.sub(problem.Gradient(momentum).mul(stepSize));
            var next = moved.sign().mul(moved.abs().sub(threshold).clamp_min(0));
            var tauNext = (1 + Math.Sqrt(1 + 4 * tau * tau)) / 2;
            var nextMomentum = next.add(next.sub(theta).mul((tau - 1) / tauNext));
            tau = tauNext;
            var check = iteration % CheckEvery == 0 || iteration == MaxIterations;
            double change = 0, size = 1, objective = 0;
            if (check)
            {
                var stats = stack([next.sub(theta).abs().max(), next.abs().max(), problem.Smooth(next).add(next.mul(problem.Mask).abs().sum().mul(problem.L1))])
                    .cpu().data<double>().ToArray();
                (change, size, objective) = (stats[0], Math.Max(1, stats[1]), stats[2]);
            }
            theta.Dispose();
            momentum.Dispose();
            theta = next.MoveToOuterDisposeScope();
            momentum = nextMomentum.MoveToOuterDisposeScope();
            if (!check)
                continue;
            if (change <= Tolerance * size)
            {
                momentum.Dispose();
                return (theta, iteration, true);
            }
            if (objective > lastObjective)
            {
                // Adaptive restart: the momentum overshot, continue from the current point without it.
                momentum.Dispose();
                momentum = theta.clone().MoveToOuterDisposeScope();
                tau = 1;
            }
            lastObjective = objective;
        }
        momentum.Dispose();
        return (theta, MaxIterations, false);
    }
}
