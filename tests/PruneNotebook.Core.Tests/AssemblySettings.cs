// Many tests seed TorchSharp's global random generator (manual_seed) and then draw from it (initialization, dropout).
// Test classes running in parallel would interleave those draws and make seeded results differ run to run.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
