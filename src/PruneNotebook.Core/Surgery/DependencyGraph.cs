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
        ScalarType.Int64 => tensor.storage<long>().data_ptr(),
        _ => throw new ArgumentException($"Tracing supports float32 and float64 models, got a {tensor.dtype} tensor."),
    }, tensor.storage_offset());

    /// <summary>The <see cref="ChannelGroup.FixedReason"/> of the network's output units.</summary>
    private const string NetworkOutput = "the network output";

    /// <summary>One traced forward pass: union-find over "unit spaces", keyed by the storage of the tensors that carry them.</summary>
    private sealed class Tracer(nn.Module<Tensor, Tensor> model) : IDisposable
    {
        private readonly record struct Value(int Node, long Block, long[] Shape, int Dim);

        private readonly List<int> _parent = [];
        private readonly List<long> _size = [];
        private readonly List<string?> _fixed = [];
        private readonly List<bool> _explained = [];
        private readonly List<List<(GroupMember Member, int Order)>> _members = [];
        private readonly List<(int Node, string Module)> _fresh = [];
        private readonly Dictionary<(IntPtr, long), List<Value>> _values = [];
        private readonly Dictionary<string, Value> _lastOutput = [];
        private readonly Dictionary<string, Value> _lastInput = [];
        private readonly List<(string Path, IDeclaresAttention Attention)> _attention = [];
        private readonly Dictionary<string, nn.Module> _namedModules = [];
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
                    _namedModules[path] = module;
                    if (module is IDeclaresAttention declares)
                        _attention.Add((path, declares));
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
                using var input = InputShapes.Zeros(model, shape, TorchDevice.Of(model));
                var inputNode = NewNode(shape[1]);
                Fix(inputNode, "the network input");
                Set(input, new Value(inputNode, 1, input.shape, 1));
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
            if (InsideAttention(name) is { } attention)
            {
                // The arithmetic between the projections (the core, or anything else inside): its output carries the
                // heads' features to the output projection, and the attention container joins them into heads.
                var inner = NewNode(output.dim() >= 2 ? output.shape[^1] : 1);
                _explained[inner] = true;
                var value = new Value(inner, 1, output.shape, (int)output.dim() - 1);
                Set(output, value);
                _lastOutput[name] = value;
                return;
            }
            var surgeon = LayerSurgeons.For(module);
            var expected = surgeon is { UnitsLast: true } && input.dim() >= 2 ? (int)input.dim() - 1 : 1;
            var source = Lookup(input, name, expected);
            _lastInput[name] = source;
            Value result;
            if (surgeon is not null)
            {
                var reason = surgeon.Unsupported(module) is { } why ? $"'{name}' cannot be cut: {why}" : null;
                var dimension = source.Dim == expected ? null : $"'{name}' works along dimension {expected} of its input, but its units lie along dimension {source.Dim}";
                if (surgeon.CarriesUnits(module))
                {
                    Member(source.Node, name, module, call, MemberRole.Passthrough, 1);
                    if ((reason ?? dimension) is { } fixedBy)
                        Fix(source.Node, fixedBy);
                    else if (_size[Find(source.Node)] != surgeon.OutputUnits(module))
                        Fix(source.Node, $"'{name}' has {surgeon.OutputUnits(module)} units, but its input carries {_size[Find(source.Node)]}");
                    result = source with { Shape = output.shape };
                }
                else
                {
                    if (surgeon.ConsumesUnits)
                    {
                        var units = _size[Find(source.Node)];
                        Member(source.Node, name, module, call, MemberRole.Consumer, source.Block);
                        if (dimension is not null)
                            Fix(source.Node, dimension);
                        else if (units * source.Block != surgeon.InputFeatures(module))
                            Fix(source.Node, $"'{name}' expects {surgeon.InputFeatures(module)} input features, but its input carries {units} units of {source.Block}");
                        else if (reason is not null)
                            Fix(source.Node, reason);
                    }
                    var outDim = surgeon.UnitsLast && output.dim() >= 2 ? (int)output.dim() - 1 : 1;
                    var produced = NewNode(output.dim() >= 2 ? output.shape[outDim] : 1);
                    Member(produced, name, module, call, MemberRole.Producer, 1);
                    if (reason is not null)
                        Fix(produced, reason);
                    result = new Value(produced, 1, output.shape, outDim);
                }
            }
            else if (module.parameters(recurse: false).Any() || module.buffers(recurse: false).Any())
            {
                throw new ArgumentException(
                    $"Layer '{name}' ({module.GetType().Name}) has no layer surgeon, so its units cannot be removed: derive a class from " +
                    $"LayerSurgeon<{module.GetType().Name}> and call LayerSurgeons.Register(new YourSurgeon()) first.");
            }
            else if (Carried(source, input, output) is { } carried)
            {
                Member(source.Node, name, module, call, MemberRole.Activation, 1);
                result = carried;
            }
            else
            {
                var reason = $"'{name}' ({module.GetType().Name}) changes the unit dimension";
                Fix(source.Node, reason);
                var produced = NewNode(output.dim() >= 2 ? output.shape[1] : 1);
                Fix(produced, reason);
                result = new Value(produced, 1, output.shape, 1);
            }
            Set(output, result);
            _lastOutput[name] = result;
        }

        /// <summary>
        /// Where a parameter-free layer puts its input's units: the same dimension when that dimension keeps its size
        /// (activations, dropout, pooling over positions), dimension 1 in blocks after flattening (N, C, …) to (N, C·…),
        /// the last dimension after (N, C, H, W) → (N, H·W, C) (image tokens), the last after averaging tokens away
        /// (N, T, D) → (N, D). <c>null</c> for anything else.
        /// </summary>
        private static Value? Carried(Value source, Tensor input, Tensor output)
        {
            var d = source.Dim;
            if (input.dim() < 2 || output.dim() < 2 || output.shape[0] != input.shape[0] || d >= input.dim())
                return null;
            if (output.dim() == input.dim() && output.shape[d] == input.shape[d])
                return source with { Shape = output.shape };
            if (d == 1 && input.dim() > 2 && output.dim() == 2 && output.shape[1] == input.shape[1..].Aggregate(1L, (a, b) => a * b))
                return new Value(source.Node, source.Block * input.shape[2..].Aggregate(1L, (a, b) => a * b), output.shape, 1);
            if (d == 1 && input.dim() == 4 && output.dim() == 3 && output.shape[2] == input.shape[1] && output.shape[1] == input.shape[2] * input.shape[3] && source.Block == 1)
                return new Value(source.Node, 1, output.shape, 2);
            if (d == input.dim() - 1 && output.dim() == input.dim() - 1 && output.shape[^1] == input.shape[d])
                return new Value(source.Node, source.Block, output.shape, (int)output.dim() - 1);
            return null;
        }

        /// <summary>The declared attention container <paramref name="name"/> lies inside (not its projections), or <c>null</c>.</summary>
        private string? InsideAttention(string name)
        {
            foreach (var (path, attention) in _attention)
            {
                var prefix = path.Length == 0 ? "" : path + ".";
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
                    continue;
                var local = name[prefix.Length..];
                if (local != attention.QueryName && local != attention.KeyName && local != attention.ValueName && local != attention.OutputName)
                    return path;
            }
            return null;
        }

        private void OnContainer(string name, nn.Module module, Tensor input, Tensor output)
        {
            Keep(input, output);
            Record(name, module, input, output);
            if (module is IDeclaresAttention attention)
                JoinHeads(name, module, attention);
            if (module is IDeclaresCoupling declared)
            {
                var joined = new List<(string Branch, Value Value)>();
                foreach (var branch in declared.AddedBranches)
                {
                    if (branch.Length == 0)
                    {
                        joined.Add(("its input", Lookup(input, name, 1)));
                        continue;
                    }
                    var child = string.IsNullOrEmpty(name) ? branch : $"{name}.{branch}";
                    if (!_lastOutput.TryGetValue(child, out var value))
                        throw new ArgumentException($"'{name}' ({module.GetType().Name}) declares the branch '{branch}', but no child of that name ran in its forward.");
                    joined.Add((branch, value));
                }
                // The sum may be made in forward by arithmetic: its units lie where the branches' do.
                var result = TryLookup(output) ?? Fresh(output, joined.Count > 0 ? joined[^1].Value.Dim : 1);
                foreach (var (branch, value) in joined)
                {
                    if (_size[Find(value.Node)] != _size[Find(result.Node)])
                        throw new ArgumentException(
                            $"'{name}' ({module.GetType().Name}) adds tensors of different widths: {branch} has {_size[Find(value.Node)]} units, its output {_size[Find(result.Node)]}.");
                    Union(value.Node, result.Node);
                }
                _explained[Find(result.Node)] = true;
            }
            if (TryLookup(output) is { } known)
                _lastOutput[name] = known;
        }

        /// <summary>A value for a tensor made by arithmetic, with its units along <paramref name="dim"/>.</summary>
        private Value Fresh(Tensor tensor, int dim)
        {
            var node = NewNode(tensor.dim() > dim ? tensor.shape[dim] : 1);
            var value = new Value(node, 1, tensor.shape, dim);
            Set(tensor, value);
            return value;
        }

        /// <summary>
        /// Joins the query, key and value projections' outputs and the output projection's input of a declared attention
        /// into one group whose units are heads (blocks of <see cref="IDeclaresAttention.HeadDim"/> features).
        /// </summary>
        private void JoinHeads(string name, nn.Module module, IDeclaresAttention attention)
        {
            string Child(string local) => string.IsNullOrEmpty(name) ? local : $"{name}.{local}";
            var projections = new[] { attention.QueryName, attention.KeyName, attention.ValueName };
            var outputName = Child(attention.OutputName);
            var widths = new List<long>();
            var nodes = new List<int>();
            foreach (var projection in projections)
            {
                var child = Child(projection);
                if (!_lastOutput.TryGetValue(child, out var value) || _namedModules.GetValueOrDefault(child) is not { } layer
                    || LayerSurgeons.For(layer) is not { UnitsLast: true } surgeon || surgeon.CarriesUnits(layer))
                    throw new ArgumentException($"'{name}' ({module.GetType().Name}) declares attention, but its projection '{projection}' is not a Linear-like layer that ran in its forward, so its heads cannot be seen.");
                widths.Add(surgeon.OutputUnits(layer));
                nodes.Add(value.Node);
            }
            if (!_lastInput.TryGetValue(outputName, out var outputInput) || _namedModules.GetValueOrDefault(outputName) is not { } outputLayer
                || LayerSurgeons.For(outputLayer) is not { UnitsLast: true } outputSurgeon)
                throw new ArgumentException($"'{name}' ({module.GetType().Name}) declares attention, but its output projection '{attention.OutputName}' is not a Linear-like layer that ran in its forward.");
            var headDim = attention.HeadDim;
            if (widths.Distinct().Count() != 1 || headDim < 1 || widths[0] % headDim != 0 || outputSurgeon.InputFeatures(outputLayer) != widths[0])
                throw new ArgumentException(
                    $"'{name}' ({module.GetType().Name}) declares heads of {headDim} features, but its projections have {string.Join(", ", widths)} outputs and its output projection {outputSurgeon.InputFeatures(outputLayer)} inputs.");
            var heads = NewNode(widths[0] / headDim);
            _explained[heads] = true;
            foreach (var node in nodes.Append(outputInput.Node))
                MoveMembers(node, heads, headDim);
        }

        /// <summary>Moves every member of <paramref name="from"/>'s group to <paramref name="to"/>, each taking <paramref name="block"/> features per unit.</summary>
        private void MoveMembers(int from, int to, long block)
        {
            var root = Find(from);
            if (root == Find(to))
                return;
            for (var node = 0; node < _parent.Count; node++)
            {
                if (Find(node) != root || _members[node].Count == 0)
                    continue;
                foreach (var (member, order) in _members[node])
                {
                    _members[to].Add((member with { Block = block }, order));
                    if (_sharedMember.ContainsKey((member.Name, member.Role)))
                        _sharedMember[(member.Name, member.Role)] = (to, block);
                }
                _members[node].Clear();
            }
            _explained[root] = true;
        }

        private DependencyGraph Finish(long[] shape)
        {
            foreach (var (node, name) in _fresh)
            {
                if (!_explained[Find(node)])
                    throw new ArgumentException(
                        $"{model.GetType().Name} cannot be traced: the input of '{name}' is made by an operation outside any module (e.g. functional.relu or x + y in forward). " +
                        "Use a module for each step (nn.ReLU(), nn.Flatten()), implement IDeclaresCoupling on a module that adds branches, " +
                        "or IDeclaresAttention on an attention layer (as MultiHeadSelfAttention does) so that its heads can be seen.");
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

        private Value Lookup(Tensor tensor, string module, int dim)
        {
            if (TryLookup(tensor) is { } value)
                return value;
            var node = NewNode(tensor.dim() > dim ? tensor.shape[dim] : 1);
            if (tensor.dim() < 2)
                Fix(node, $"the input of '{module}' has no unit dimension");
            _fresh.Add((node, module));
            var fresh = new Value(node, 1, tensor.shape, dim);
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
                return new Value(last.Node, last.Block * last.Shape[2..].Aggregate(1L, (a, b) => a * b), tensor.shape, 1);
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
