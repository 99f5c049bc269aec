using System.Text.Json;
using FluentValidation;
using FluentValidation.Internal;

namespace StatementTracker.Infrastructure;

/// <summary>
/// Base for request validators: failures are reported under the field's JSON path as clients
/// wrote it ("speaker.name", "sources[0].url"), not under C# member names.
/// </summary>
public abstract class RequestValidator<T> : AbstractValidator<T>
{
    static RequestValidator()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
        {
            var chain = expression is null ? null : PropertyChain.FromExpression(expression);
            var name = chain is { Count: > 0 } ? chain.ToString() : member?.Name;
            return name is null ? null : string.Join('.', name.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
        };
    }
}

/// <summary>Rules for free text fields shared by every request.</summary>
public static class TextRules
{
    /// <summary>Optional text: at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public static IRuleBuilderOptions<T, string?> Text<T>(this IRuleBuilder<T, string?> rule, int maxLength, bool multiline = false) =>
        rule
            .Must(value => value is null || value.Trim().Length <= maxLength)
            .WithMessage($"Must be at most {maxLength} characters.")
            .Must(value => value is null || !HasControlCharacters(value, multiline))
            .WithMessage(multiline ? "Must not contain control characters other than line breaks and tabs." : "Must not contain control characters or line breaks.");

    /// <summary>Required text: present, not blank, and <see cref="Text{T}"/>.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, int maxLength, bool multiline = false) =>
        rule
            .Must(value => !string.IsNullOrWhiteSpace(value)).WithMessage("Required.")
            .Text(maxLength, multiline);

    private static bool HasControlCharacters(string value, bool multiline) =>
        value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'));
}
