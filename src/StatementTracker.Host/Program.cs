using JasperFx;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Operations.ApiDescription;
using StatementTracker.Timeline;
using Wolverine;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseManagementPort(builder.Configuration);

builder.Services.AddStatementTracker(builder.Configuration, builder.Environment);
builder.Host.UseWolverine(options =>
{
    options.UseStatementTracker(builder.Configuration);
    options.UseRuntimeCompilation();
});

var app = builder.Build();
app.UseStatementTrackerErrors();
app.UseStatementTrackerHttp();
app.UseStatementTrackerSecurity();
app.MapStatementTrackerHealth();
app.MapApiDocument();
app.MapObservability(app.Configuration);
app.MapTimelinePage();
app.MapWolverineEndpoints(options => options.MapStatementTracker());

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the integration tests' host.</summary>
public partial class Program;
