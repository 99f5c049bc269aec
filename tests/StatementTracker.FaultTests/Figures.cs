namespace StatementTracker.FaultTests;

/// <summary>Prints a fault test's figures as one block, to be read from the CI log.</summary>
public static class Figures
{
    public static void Print(ITestOutputHelper output, string test, params (string Name, object Value)[] figures)
    {
        output.WriteLine($"== {test}");
        foreach (var (name, value) in figures) output.WriteLine($"   {name,-38} {value}");
    }
}
