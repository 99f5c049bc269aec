using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;
using Xunit.v3;

namespace StatementTracker.Testing;

/// <summary>
/// How long a test may run before it fails with its name. Every test carries one of these bounds (a
/// guard test in each test project checks it), so a hung test fails instead of stopping CI; the run as a
/// whole is bounded too (the hang guard in the test projects' TestingPlatformCommandLineArguments).
/// </summary>
public static class TestBounds
{
    /// <summary>Unit tests and HTTP tests against the in-memory host.</summary>
    public const int Default = 60_000;

    /// <summary>Tests that run the host's command line as processes, one after another.</summary>
    public const int CommandLineTest = 3 * 60_000;

    /// <summary>Tests that drive a headless browser against a running service process.</summary>
    public const int BrowserTest = 2 * 60_000;

    /// <summary>Tests that start service processes, kill them and wait for projections to catch up.</summary>
    public const int FaultTest = 5 * 60_000;

    /// <summary>The test methods of <paramref name="assembly"/> that declare no timeout.</summary>
    public static IReadOnlyList<string> Unbounded(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttributes().OfType<IFactAttribute>().Any(fact => fact.Timeout <= 0))
            .Select(method => $"{method.DeclaringType!.FullName}.{method.Name}")
            .ToArray();
}

/// <summary>A fact that fails, with its name, when it runs longer than <see cref="TestBounds.Default"/> (or the <c>Timeout</c> it names).</summary>
public sealed class BoundedFactAttribute : FactAttribute
{
    public BoundedFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Timeout = TestBounds.Default;
}

/// <summary>A theory whose every case fails, with its name, when it runs longer than <see cref="TestBounds.Default"/>.</summary>
public sealed class BoundedTheoryAttribute : TheoryAttribute
{
    public BoundedTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Timeout = TestBounds.Default;
}
