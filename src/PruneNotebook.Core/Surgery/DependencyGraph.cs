using System.Runtime.InteropServices;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Which layers of a model are coupled, found by tracing one forward pass: forward hooks on every module record
/// which tensor each layer consumed and produced (tensors are recognised by their storage), so the graph follows
/// units from a producer (Conv2d, Linear) through BatchNorm and parameter-free layers to its consumers, including
/// through Flatten (unit k of a (C, H, W) map becomes input block k of H·W features of the next Linear). Residual
/// additions are plain arithmetic that hooks cannot see: containers that add branches declare it with
/// <see cref="IDeclaresCoupling"/>, and the branches' units are joined into one group.
/// </summary>
/// <remarks>
/// The graph follows calls and tensors, not module instances. A module without a <see cref="LayerSurgeon"/> and without
/// parameters or buffers (ReLU, pooling, Flatten, Dropout, Identity, ...) is a separate member for each of its calls
/// (<see cref="GroupMember.Call"/>), so one <c>nn.ReLU()</c> used after three convolutions couples nothing. A module with
/// weights (or a surgeon) applies the same weights at every call, so its units are shared: all its calls join one group,
/// where it is one member. A container applied twice is therefore followed call by call, its weighted children shared.
/// A module registered under several names is traced under the first (<see cref="TracedCall.Name"/>).
/// </remarks>
public sealed class DependencyGraph
{
    private DependencyGraph(string modelName, long[] inputShape, IReadOnlyList<ChannelGroup> groups, IReadOnlyList<TracedCall> calls)
    {
        ModelName = modelName;
        InputShape = inputShape;
        Groups = groups;
        Calls = calls;
    }

    /// <summary>The model's type name.</summary>
    public string ModelName { get; }

    /// <summary>The input shape the graph was traced with, batch dimension included.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Every group of coupled units, prunable or not.</summary>
    public IReadOnlyList<ChannelGroup> Groups { get; }

    /// <summary>
    /// Every module call of the traced pass (containers too), in the order the calls finished; a module called more
    /// than once appears once per call (<see cref="TracedCall.Call"/> counts them).
    /// </summary>
    public IReadOnlyList<TracedCall> Calls { get; }

    /// <summary>
    /// The group whose units <paramref name="layer"/> produces (or carries through, for a BatchNorm), or <c>null</c>.
    /// A layer with weights produces one group however often it is called.
    /// </summary>
    /// <param name="layer">Qualified module name, e.g. <c>conv1</c>.</param>
    public ChannelGroup? GroupProducedBy(string layer) =>
        Groups.FirstOrDefault(g => g.Members.Any(m => m.Name == layer && m.Role is MemberRole.Producer or MemberRole.Passthrough));

    /// <summary>
    /// Traces <paramref name="model"/> on a zero input of <paramref name="inputShape"/> (eval mode, no gradients; the
    /// training mode is restored) and groups its coupled units.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="inputShape">Input shape with batch dimension; default from <see cref="InputShapes.Infer"/>.</param>
    /// <exception cref="ArgumentException">
    /// The input shape is unknown or invalid; a layer with parameters has no <see cref="LayerSurgeon"/> (the message names
    /// it and how to register one); or the forward pass cannot be traced (a layer's input was made outside any module).
    /// </exception>
    public static DependencyGraph Build(nn.Module<Tensor, Tensor> model, IReadOnlyList<long>? inputShape = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TorchNativeLibraries.EnsureLoaded();
        // Surgery reads the weights after tracing: as every forward pass sees them.
        PruningMasks.Apply(model);
        var shape = ResolveShape(model, inputShape);
        using var tracer = new Tracer(model);
        return tracer.Run(shape);
    }

    internal static long[] ResolveShape(nn.Module model, IReadOnlyList<long>? inputShape)
    {
        var shape = inputShape?.ToArray() ?? InputShapes.Infer(model)
            ?? throw new ArgumentException($"The input shape of {model.GetType().Name} is not known: pass one with the batch dimension, e.g. 1,1,28,28.", nameof(inputShape));
        if (shape.Length < 2 || shape.Any(d => d <= 0))
            throw new ArgumentException($"Input shape ({string.Join(", ", shape)}) is not valid: expected positive sizes including the batch dimension, e.g. 1,1,28,28.", nameof(inputShape));
        return shape;
    }

    /// <summary>The model's output on <paramref name="input"/>; a failure inside forward becomes a one-line <see cref="ArgumentException"/>.</summary>
    internal static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor input, IReadOnlyList<long> shape)
    {
        try
        {
            return model.call(input);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or IndexOutOfRangeException)
        {
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            throw new ArgumentException($"{model.GetType().Name} cannot run on input shape ({string.Join(", ", shape)}): {reason}", e);
        }
    }

    /// <summary>
    /// Tensors are recognised by storage and offset (a tracer keeps an alias of every traced tensor, so no storage is
    /// freed and reused while it runs).
    /// </summary>
    internal static (IntPtr, long) StorageKey(Tensor tensor) => (tensor.dtype switch
    {
        ScalarType.Float32 => tensor.storage<float>().data_ptr(),
        ScalarType.Float64 => tensor.storage<double>().data_ptr(),
        _ => throw new ArgumentException($"Tracing supports float32 and float64 models, got a {tensor.dtype} tensor."),
    }, tensor.storage_offset());

    /// <summary>The <see cref="ChannelGroup.FixedReason"/> of the network's output units.</summary>
    private const string NetworkOutput = "the network output";

    /// <summary>One traced forward pass: union-find over "unit spaces", keyed by the storage of the tensors that carry them.</summary>
    private sealed class Tracer(nn.Module<Tensor, Tensor> model) : IDisposable
    {
        private readonly record struct Value(int Node, long Block, long[] Shape);

        private readonly List<int> _parent = [];
        private readonly List<long> _size = [];
        private readonly List<string?> _fixed = [];
        private readonly List<bool> _explained = [];
        private readonly List<List<(GroupMember Member, int Order)>> _members = [];
        private readonly List<(int Node, string Module)> _fresh = [];
        private readonly Dictionary<(IntPtr, long), List<Value>> _values = [];
        private readonly Dictionary<string, Value> _lastOutput = [];
        private readonly Dictionary<(string, MemberRole), (int Node, long Block)> _sharedMember = [];
        private readonly Dictionary<nn.Module, int> _callCount = new(ReferenceEqualityComparer.Instance);
        private readonly List<TracedCall> _calls = [];
        private readonly List<Tensor> _keepAlive = [];
        private int _outputNode = -1;

        public DependencyGraph Run(long[] shape)
        {
            var removers = new List<Action>();
            var wasTraining = model.training;
            try
            {
                var hooked = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
                foreach (var (path, module) in ModuleTree.Named(model))
                {
                    // A module registered under several names (the same ReLU twice in a Sequential) is hooked once: every call is seen once.
                    if (!hooked.Add(module))
                        continue;
                    var leaf = !module.children().Any();
                    if (module is not nn.Module<Tensor, Tensor> hookable)
                    {
                        if (leaf && module.parameters(recurse: false).Any())
                            throw new ArgumentException(
                                $"{model.GetType().Name} cannot be traced: layer '{path}' ({module.GetType().Name}) does not map one tensor to one tensor, so its coupling is unknown.");
                        continue;
                    }
                    var name = path;
                    removers.Add(hookable.register_forward_hook((m, input, output) =>
                    {
                        if (leaf)
                            OnLeaf(name, m, input, output);
                        else
                            OnContainer(name, m, input, output);
                        return output;
                    }).remove);
                }

                model.eval();
                using var noGrad = no_grad();
                using var input = zeros(shape, device: TorchDevice.Of(model));
                var inputNode = NewNode(shape[1]);
                Fix(inputNode, "the network input");
                Set(input, new Value(inputNode, 1, input.shape));
                using (var output = Forward(model, input, shape))
                {
                    var result = TryLookup(output) ?? throw new ArgumentException(
                        $"{model.GetType().Name} cannot be traced: its output is made by an operation outside any module (e.g. arithmetic at the end of forward); end forward with a module's output.");
                    Fix(result.Node, NetworkOutput);
                    _outputNode = result.Node;
                }
            }
            finally
            {
                foreach (var remove in removers)
                    remove();
                model.train(wasTraining);
            }
            return Finish(shape);
        }

        private void OnLeaf(string name, nn.Module module, Tensor input, Tensor output)
        {
            Keep(input, output);
            var call = Record(name, module, input, output);
            var source = Lookup(input, name);
            var surgeon = LayerSurgeons.For(module);
            Value result;
            if (surgeon is not null)
            {
                var reason = surgeon.Unsupported(module) is { } why ? $"'{name}' cannot be cut: {why}" : null;
                if (surgeon.IsPassthrough)
                {
                    Member(source.Node, name, module, call, MemberRole.Passthrough, 1);
                    if (reason is not null)
                        Fix(source.Node, reason);
                    result = source with { Shape = output.shape };
                }
                else
                {
                    var units = _size[Find(source.Node)];
                    Member(source.Node, name, module, call, MemberRole.Consumer, source.Block);
                    if (units * source.Block != surgeon.InputFeatures(module))
                        Fix(source.Node, $"'{name}' expects {surgeon.InputFeatures(module)} input features, but its input carries {units} units of {source.Block}");
                    else if (reason is not null)
                        Fix(source.Node, reason);
                    var produced = NewNode(output.dim() >= 2 ? output.shape[1] : 1);
                    Member(produced, name, module, call, MemberRole.Producer, 1);
                    if (reason is not null)
                        Fix(produced, reason);
                    result = new Value(produced, 1, output.shape);
                }
            }
            else if (module.parameters(recurse: false).Any() || module.buffers(recurse: false).Any())
            {
                throw new ArgumentException(
                    $"Layer '{name}' ({module.GetType().Name}) has no layer surgeon, so its units cannot be removed: derive a class from " +
                    $"LayerSurgeon<{module.GetType().Name}> and call LayerSurgeons.Register(new YourSurgeon()) first.");
            }
            else if (input.dim() >= 2 && output.dim() >= 2 && output.shape[0] == input.shape[0] && output.shape[1] == input.shape[1])
            {
                Member(source.Node, name, module, call, MemberRole.Activation, 1);
                result = source with { Shape = output.shape };
            }
            else if (input.dim() > 2 && output.dim() == 2 && output.shape[1] == input.shape[1..].Aggregate(1L, (a, b) => a * b))
            {
                Member(source.Node, name, module, call, MemberRole.Activation, 1);
                result = new Value(source.Node, source.Block * input.shape[2..].Aggregate(1L, (a, b) => a * b), output.shape);
            }
            else
            {
                var reason = $"'{name}' ({module.GetType().Name}) changes the unit dimension";
                Fix(source.Node, reason);
                var produced = NewNode(output.dim() >= 2 ? output.shape[1] : 1);
                Fix(produced, reason);
                result = new Value(produced, 1, output.shape);
            }
            Set(output, result);
            _lastOutput[name] = result;
        }

        private void OnContainer(string name, nn.Module module, Tensor input, Tensor output)
        {
            Keep(input, output);
            Record(name, module, input, output);
            if (module is IDeclaresCoupling declared)
            {
                var joined = new List<(string Branch, int Node)>();
                foreach (var branch in declared.AddedBranches)
                {
                    if (branch.Length == 0)
                    {
                        joined.Add(("its input", Lookup(input, name).Node));
                        continue;
                    }
                    var child = string.IsNullOrEmpty(name) ? branch : $"{name}.{branch}";
                    if (!_lastOutput.TryGetValue(child, out var value))
                        throw new ArgumentException($"'{name}' ({module.GetType().Name}) declares the branch '{branch}', but no child of that name ran in its forward.");
                    joined.Add((branch, value.Node));
                }
                var result = Lookup(output, name);
                joined.Add(("its output", result.Node));
                foreach (var (branch, node) in joined)
                {
                    if (_size[Find(node)] != _size[Find(result.Node)])
                        throw new ArgumentException(
                            $"'{name}' ({module.GetType().Name}) adds tensors of different widths: {branch} has {_size[Find(node)]} units, its output {_size[Find(result.Node)]}.");
                    Union(node, result.Node);
                }
                _explained[Find(result.Node)] = true;
            }
            if (TryLookup(output) is { } known)
                _lastOutput[name] = known;
        }

        private DependencyGraph Finish(long[] shape)
        {
            foreach (var (node, name) in _fresh)
            {
                if (!_explained[Find(node)])
                    throw new ArgumentException(
                        $"{model.GetType().Name} cannot be traced: the input of '{name}' is made by an operation outside any module (e.g. functional.relu or x + y in forward). " +
                        "Use a module for each step (nn.ReLU(), nn.Flatten()), or implement IDeclaresCoupling on a module that adds branches.");
            }
            var byRoot = new Dictionary<int, List<(GroupMember Member, int Order)>>();
            var order = new List<int>();
            for (var node = 0; node < _parent.Count; node++)
            {
                var root = Find(node);
                if (!byRoot.TryGetValue(root, out var members))
                {
                    byRoot[root] = members = [];
                    order.Add(root);
                }
                members.AddRange(_members[node]);
            }
            var groups = new List<ChannelGroup>();
            foreach (var root in order)
            {
                var members = byRoot[root];
                if (members.Count == 0)
                    continue;
                var reason = _fixed[root];
                if (reason is null && members.Any(m => m.Member.Role == MemberRole.Producer) && !members.Any(m => m.Member.Role == MemberRole.Consumer))
                    reason = "its output is used outside the traced layers";
                var ordered = members.OrderBy(m => m.Order).ThenBy(m => m.Member.Role == MemberRole.Consumer ? 0 : 1).Select(m => m.Member).ToList();
                groups.Add(new ChannelGroup(groups.Count, _size[root], ordered, reason, _outputNode >= 0 && Find(_outputNode) == root));
            }
            return new DependencyGraph(model.GetType().Name, shape, groups, _calls);
        }

        private Value Lookup(Tensor tensor, string module)
        {
            if (TryLookup(tensor) is { } value)
                return value;
            var node = NewNode(tensor.dim() >= 2 ? tensor.shape[1] : 1);
            if (tensor.dim() < 2)
                Fix(node, $"the input of '{module}' has no unit dimension");
            _fresh.Add((node, module));
            var fresh = new Value(node, 1, tensor.shape);
            Set(tensor, fresh);
            return fresh;
        }

        private Value? TryLookup(Tensor tensor)
        {
            if (!_values.TryGetValue(StorageKey(tensor), out var candidates))
                return null;
            foreach (var candidate in Enumerable.Reverse(candidates))
                if (candidate.Shape.SequenceEqual(tensor.shape))
                    return candidate;
            // A view made in forward without a module, e.g. x.view(N, -1): same storage, flattened.
            var last = candidates[^1];
            if (tensor.dim() == 2 && last.Shape.Length > 2 && last.Shape[0] == tensor.shape[0]
                && tensor.shape[1] == last.Shape[1..].Aggregate(1L, (a, b) => a * b))
                return new Value(last.Node, last.Block * last.Shape[2..].Aggregate(1L, (a, b) => a * b), tensor.shape);
            return null;
        }

        private void Set(Tensor tensor, Value value)
        {
            var key = StorageKey(tensor);
            if (!_values.TryGetValue(key, out var list))
                _values[key] = list = [];
            list.Add(value);
        }

        private void Keep(Tensor input, Tensor output)
        {
            _keepAlive.Add(input.alias().DetachFromDisposeScope());
            _keepAlive.Add(output.alias().DetachFromDisposeScope());
        }

        /// <summary>Adds the call to <see cref="_calls"/>; returns which call of <paramref name="module"/> it is (0 for the first).</summary>
        private int Record(string name, nn.Module module, Tensor input, Tensor output)
        {
            var call = _callCount.TryGetValue(module, out var earlier) ? earlier : 0;
            _callCount[module] = call + 1;
            _calls.Add(new TracedCall(name, module, input.shape, output.shape, call));
            return call;
        }

        private void Member(int node, string name, nn.Module module, int call, MemberRole role, long block)
        {
            // A stateless module (ReLU, pooling, flatten) couples nothing across its calls: each call is its own member.
            if (!SharesUnitsAcrossCalls(module))
            {
                _members[node].Add((new GroupMember(name, module, role, block, call), _calls.Count - 1));
                return;
            }
            // A module with weights applies the same weights at every call: its units are one group, where it is one member.
            if (!_sharedMember.TryGetValue((name, role), out var first))
            {
                _sharedMember[(name, role)] = (node, block);
                _members[node].Add((new GroupMember(name, module, role, block, call), _calls.Count - 1));
                return;
            }
            if (_size[Find(first.Node)] != _size[Find(node)] || first.Block != block)
            {
                var reason = $"'{name}' is called on inputs that carry its units differently ({_size[Find(first.Node)]} units of {first.Block} and {_size[Find(node)]} of {block})";
                Fix(first.Node, reason);
                Fix(node, reason);
            }
            Union(first.Node, node);
        }

        /// <summary>Whether every call of <paramref name="module"/> acts on the same units: it has weights, or a surgeon that sizes it.</summary>
        private static bool SharesUnitsAcrossCalls(nn.Module module) =>
            LayerSurgeons.For(module) is not null || module.parameters(recurse: false).Any() || module.buffers(recurse: false).Any();

        private int NewNode(long size)
        {
            _parent.Add(_parent.Count);
            _size.Add(size);
            _fixed.Add(null);
            _explained.Add(false);
            _members.Add([]);
            return _parent.Count - 1;
        }

        private void Fix(int node, string reason)
        {
            var root = Find(node);
            _fixed[root] ??= reason;
        }

        private int Find(int node)
        {
            while (_parent[node] != node)
                node = _parent[node] = _parent[_parent[node]];
            return node;
        }

        private void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb)
                return;
            _parent[rb] = ra;
            _fixed[ra] ??= _fixed[rb];
            _explained[ra] |= _explained[rb];
        }

        public void Dispose()
        {
            foreach (var tensor in _keepAlive)
                tensor.Dispose();
        }
    }
}
