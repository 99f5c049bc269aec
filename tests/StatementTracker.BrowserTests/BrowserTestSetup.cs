[assembly: AssemblyFixture(typeof(StatementTracker.Testing.TestDatabase))]
