using System.Text.RegularExpressions;
using System.Xml.Linq;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Operations;

/// <summary>
/// What CI can check of the container image, Compose and Kubernetes files without Docker or a cluster: they
/// parse, name settings the service reads, its port and its real probe paths, and build the repo's projects.
/// </summary>
public partial class DeploymentFilesTests
{
    private const string Compose = "docker-compose.yml";
    private const string ComposeEnv = "deploy/compose.env.example";
    private const string Dockerfile = "deploy/Dockerfile";
    private const string Kubernetes = "deploy/kubernetes";
    private const string SecretExample = "deploy/kubernetes/secret.example.env";
    private const int ServicePort = 8080;

    private static Dictionary<object, object> Manifest(string kind) =>
        Directory.GetFiles(DeploymentFiles.PathOf(Kubernetes), "*.yaml")
            .SelectMany(file => DeploymentFiles.Yaml(Path.GetRelativePath(Repository.Root, file)))
            .Single(document => document.Text("kind") == kind);

    private static Dictionary<object, object> PodSpec(string kind) => Manifest(kind).Map("spec").Map("template").Map("spec");

    private static Dictionary<object, object> Container(string kind) => (Dictionary<object, object>)PodSpec(kind).List("containers").Single();

    private static IEnumerable<string> EnvNames(Dictionary<object, object> container) =>
        container.List("env").Select(entry => entry.Text("name")!);

    private static string DockerfileText => File.ReadAllText(DeploymentFiles.PathOf(Dockerfile));

    [BoundedFact]
    public void every_manifest_and_the_compose_file_parse_and_kustomize_lists_every_manifest()
    {
        DeploymentFiles.Yaml(Compose).ShouldHaveSingleItem().Map("services").Keys
            .ShouldBe(["postgres", "db-roles", "db-apply", "db-seed", "statementtracker"], ignoreOrder: true);
        var manifests = Directory.GetFiles(DeploymentFiles.PathOf(Kubernetes), "*.yaml").Select(Path.GetFileName).ToArray();
        foreach (var manifest in manifests) DeploymentFiles.Yaml($"{Kubernetes}/{manifest}").ShouldNotBeEmpty(manifest);

        var resources = DeploymentFiles.Yaml($"{Kubernetes}/kustomization.yaml").Single().List("resources").Select(r => r.ToString()).ToArray();
        resources.ShouldBe(manifests.Where(name => name != "kustomization.yaml"), ignoreOrder: true);
        foreach (var kind in new[] { "Deployment", "Service", "ConfigMap", "Job", "PodDisruptionBudget" }) Manifest(kind).ShouldNotBeNull(kind);
    }

    [BoundedFact]
    public void every_setting_the_files_give_is_one_the_service_reads()
    {
        var given = new List<(string File, string Name)>();
        given.AddRange(DeploymentFiles.EnvFile(ComposeEnv).Keys.Where(IsSetting).Select(name => (ComposeEnv, name)));
        given.AddRange(Manifest("ConfigMap").Map("data").Keys.Select(key => ("configmap.yaml", key.ToString()!)));
        given.AddRange(EnvNames(Container("Deployment")).Select(name => ("deployment.yaml", name)));
        given.AddRange(EnvNames(Container("Job")).Select(name => ("db-apply-job.yaml", name)));
        given.AddRange(DeploymentFiles.EnvFile(SecretExample).Keys.Where(IsSetting).Select(name => (SecretExample, name)));
        given.AddRange(Regex.Matches(DockerfileText, @"\b(\w+)=").Select(m => m.Groups[1].Value).Where(IsSetting).Select(name => (Dockerfile, name)));
        given.Count.ShouldBeGreaterThan(15);

        given.Where(setting => !ServiceSettings.IsRead(setting.Name)).ShouldBeEmpty();
        // The checker itself refuses a setting nobody reads.
        ServiceSettings.IsRead("Limits__MaxPageSiz").ShouldBeFalse();
        ServiceSettings.IsRead("Security__ApiKeys__0__Hash").ShouldBeTrue();
    }

    /// <summary>Settings look like <c>Section__Key</c>; the env files also hold passwords for the scripts around the service.</summary>
    private static bool IsSetting(string name) => name.Contains("__") || ServiceSettings.IsPlatform(name);

    [BoundedFact]
    public void every_secret_the_cluster_reads_is_listed_in_the_example_and_the_job_migrates_as_the_owner()
    {
        var example = DeploymentFiles.EnvFile(SecretExample);
        foreach (var kind in new[] { "Deployment", "Job" })
            foreach (var entry in Container(kind).List("env"))
                if (entry.Map("valueFrom").Map("secretKeyRef") is var reference)
                {
                    reference.Text("name").ShouldBe("statementtracker");
                    example.ShouldContainKey(reference.Text("key")!);
                }
        var job = Container("Job");
        string.Join(' ', job.List("args")).ShouldContain("db-apply");
        string.Join(' ', job.List("args")).ShouldContain("db-grant statementtracker_service");
        ((Dictionary<object, object>)job.List("env").Single()).Map("valueFrom").Map("secretKeyRef").Text("key").ShouldBe("MigrationConnectionString");
        example["MigrationConnectionString"].ShouldContain("statementtracker_owner");
        example["ConnectionStrings__StatementTracker"].ShouldContain("statementtracker_service");
    }

    [BoundedFact]
    public void the_port_and_the_probe_paths_are_the_ones_the_service_has()
    {
        DockerfileText.ShouldContain($"ASPNETCORE_HTTP_PORTS={ServicePort}");
        DockerfileText.ShouldContain($"EXPOSE {ServicePort}");
        Regex.Match(DockerfileText, @"HEALTHCHECK[^\n]*\\\n[^\n]*").Value.ShouldContain(HealthChecks.LivePath);
        File.ReadAllText(DeploymentFiles.PathOf("deploy/healthcheck/Program.cs")).ShouldContain($"\"{HealthChecks.LivePath}\"");

        var tracker = DeploymentFiles.Yaml(Compose).Single().Map("services").Map("statementtracker");
        tracker.List("ports").Single().ToString().ShouldEndWith($":{ServicePort}");

        var container = Container("Deployment");
        var port = (Dictionary<object, object>)container.List("ports").Single();
        port.Text("containerPort").ShouldBe(ServicePort.ToString());
        container.Map("readinessProbe").Map("httpGet").Text("path").ShouldBe(HealthChecks.ReadyPath);
        container.Map("livenessProbe").Map("httpGet").Text("path").ShouldBe(HealthChecks.LivePath);
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
            container.Map(probe).Map("httpGet").Text("port").ShouldBe(port.Text("name"));
        var servicePort = (Dictionary<object, object>)Manifest("Service").Map("spec").List("ports").Single();
        servicePort.Text("targetPort").ShouldBe(port.Text("name"));
    }

    [BoundedFact]
    public void the_deployment_runs_two_replicas_with_resources_a_budget_and_a_grace_period_past_the_drain()
    {
        var spec = Manifest("Deployment").Map("spec");
        int.Parse(spec.Text("replicas")!).ShouldBeGreaterThanOrEqualTo(2);
        var container = Container("Deployment");
        container.Map("resources").Map("requests").Keys.ShouldBe(["cpu", "memory"], ignoreOrder: true);
        container.Map("resources").Map("limits").Keys.ShouldBe(["cpu", "memory"], ignoreOrder: true);
        container.Map("securityContext").Text("readOnlyRootFilesystem").ShouldBe("true");
        PodSpec("Deployment").Map("securityContext").Text("runAsNonRoot").ShouldBe("true");

        var drain = double.Parse(Manifest("ConfigMap").Map("data").Text("Shutdown__DrainSeconds")!);
        var preStop = double.Parse(container.Map("lifecycle").Map("preStop").Map("exec").List("command").Last().ToString()!);
        var grace = double.Parse(PodSpec("Deployment").Text("terminationGracePeriodSeconds")!);
        grace.ShouldBeGreaterThan(preStop + drain + StatementTrackerSetup.ShutdownMargin.TotalSeconds);

        var selector = spec.Map("selector").Map("matchLabels");
        Manifest("PodDisruptionBudget").Map("spec").Map("selector").Map("matchLabels").ShouldBe(selector);
        Manifest("Service").Map("spec").Map("selector").ShouldBe(selector);
    }

    [BoundedFact]
    public void the_dockerfile_builds_the_repos_projects_on_the_official_images_and_runs_as_non_root()
    {
        var text = DockerfileText;
        text.ShouldContain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        text.ShouldContain("FROM mcr.microsoft.com/dotnet/aspnet:10.0");
        File.ReadAllText(DeploymentFiles.PathOf("Directory.Build.props")).ShouldContain("<TargetFramework>net10.0</TargetFramework>");
        text.ShouldContain("USER $APP_UID");

        // Every path copied from the build context exists.
        foreach (Match copy in CopyFromContext().Matches(text))
            foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
                Path.Exists(DeploymentFiles.PathOf(source.TrimEnd('/'))).ShouldBeTrue(source);

        // Every project restored or published is one of the solution's, and every project the host
        // references has its project file copied before the restore.
        var solution = File.ReadAllText(DeploymentFiles.PathOf("StatementTracker.sln")).Replace('\\', '/');
        var built = DotnetProject().Matches(text).Select(m => m.Groups["project"].Value).Distinct().ToArray();
        built.ShouldContain("src/StatementTracker.Host/StatementTracker.Host.csproj");
        foreach (var project in built)
        {
            File.Exists(DeploymentFiles.PathOf(project)).ShouldBeTrue(project);
            solution.ShouldContain(project, customMessage: $"{project} is not in the solution CI builds");
        }
        foreach (var reference in ProjectClosure("src/StatementTracker.Host/StatementTracker.Host.csproj"))
            text.ShouldContain($"COPY {reference} ");
        text.ShouldContain("-c Release");
        text.ShouldContain("ENTRYPOINT [\"dotnet\", \"StatementTracker.Host.dll\"]");
    }

    /// <summary>A project and every project it references, transitively, relative to the repository root.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        yield return project;
        var folder = Path.GetDirectoryName(DeploymentFiles.PathOf(project))!;
        foreach (var reference in XDocument.Load(DeploymentFiles.PathOf(project)).Descendants("ProjectReference"))
        {
            var path = Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            foreach (var inner in ProjectClosure(path.Replace('\\', '/'))) yield return inner;
        }
    }

    [BoundedFact]
    public void compose_wires_the_roles_the_schema_the_seeds_and_the_service_through_the_connection_string()
    {
        var compose = DeploymentFiles.Yaml(Compose).Single();
        var services = compose.Map("services");
        services.Map("postgres").List("ports").Single().ToString()!.ShouldContain("${STATEMENTTRACKER_DB_PORT:-5433}:5432");
        var env = DeploymentFiles.EnvFile(ComposeEnv);
        env["ConnectionStrings__StatementTracker"].ShouldContain("Username=statementtracker_service");
        env["STATEMENTTRACKER_OWNER_CONNECTION"].ShouldContain("Username=statementtracker_owner");
        env["Security__ApiKeys__0__Hash"].ShouldMatch("^[0-9a-f]{64}$");

        foreach (var name in new[] { "db-apply", "db-seed", "statementtracker" })
        {
            var service = services.Map(name);
            service.Text("env_file").ShouldBe("${STATEMENTTRACKER_ENV_FILE:-" + ComposeEnv + "}");
            service.Map("build").Text("dockerfile").ShouldBe(Dockerfile);
            service.Text("read_only").ShouldBe("true");
            service.List("tmpfs").ShouldContain("/tmp");
        }
        string.Join(' ', services.Map("db-apply").List("command")).ShouldContain("db-grant statementtracker_service");
        services.Map("db-seed").List("command").ShouldBe(["seed"]);
        services.Map("statementtracker").Map("depends_on").Map("db-seed").Text("condition").ShouldBe("service_completed_successfully");
        services.Map("db-seed").Map("depends_on").Map("db-apply").Text("condition").ShouldBe("service_completed_successfully");
        services.Map("db-apply").Map("depends_on").Map("db-roles").Text("condition").ShouldBe("service_completed_successfully");
    }

    [GeneratedRegex(@"^COPY (?!--from)(?<sources>[^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();

    [GeneratedRegex(@"dotnet (?:restore|publish|build) (?<project>\S+\.csproj)")]
    private static partial Regex DotnetProject();
}
