[assembly: AssemblyFixture(typeof(StatementTracker.Testing.TestDatabase))]
// One fault at a time: they stop databases and kill processes, and they measure time.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
