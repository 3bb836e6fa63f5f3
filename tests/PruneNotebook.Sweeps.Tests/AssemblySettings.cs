// Tests start worker processes that share the machine's cores, set environment variables and seed TorchSharp's global
// generator: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
