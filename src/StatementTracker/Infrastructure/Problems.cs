using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace StatementTracker.Infrastructure;

/// <summary>The RFC 9457 problem responses this service answers with.</summary>
public static class Problems
{
    public static ValidationProblemDetails Validation(Dictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid.",
        Detail = "See errors: each key is the JSON path (or query parameter) of a field that was rejected.",
    };

    public static ValidationProblemDetails Validation(ValidationResult result) => Validation(
        result.Errors
            .GroupBy(e => string.IsNullOrEmpty(e.PropertyName) ? "$" : e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));

    public static ValidationProblemDetails Invalid(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemDetails NotFound(string detail) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = detail,
    };

    public static ProblemDetails Conflict(string detail) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Conflict.",
        Detail = detail,
    };

    public static ProblemDetails UnsupportedMediaType(string detail) => new()
    {
        Status = StatusCodes.Status415UnsupportedMediaType,
        Title = "Unsupported media type.",
        Detail = detail,
    };

    public static ProblemDetails PayloadTooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
    };

    public static IResult ToResult(this ProblemDetails problem) => Results.Problem(problem);
}
