using System.Text.Json;
using System.Text.Json.Serialization;

namespace StatementTracker.Vocabulary;

public enum DatePrecision { Year, Month, Day }

/// <summary>
/// A date known to the year, the month or the day ("2024", "2024-07", "2024-07-04").
/// News often gives only part of a date; we keep exactly what was known.
/// </summary>
[JsonConverter(typeof(PartialDateJsonConverter))]
public readonly record struct PartialDate : IComparable<PartialDate>
{
    public const int EarliestYear = 1800;

    /// <summary>
    /// The last year a query may name: the day after any date up to it still exists (DateOnly ends at
    /// 9999-12-31), so "the day after the last day" never overflows anywhere.
    /// </summary>
    public const int LatestYear = 9998;

    private PartialDate(int year, int? month, int? day)
    {
        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }
    public int? Month { get; }
    public int? Day { get; }

    public DatePrecision Precision => Day is not null ? DatePrecision.Day
        : Month is not null ? DatePrecision.Month
        : DatePrecision.Year;

    /// <summary>The first day the statement may have been made on: the sort key.</summary>
    public DateOnly FirstDay => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day it may have been made on: by then it had certainly been said.</summary>
    public DateOnly LastDay => Precision switch
    {
        DatePrecision.Day => FirstDay,
        DatePrecision.Month => new DateOnly(Year, Month!.Value, DateTime.DaysInMonth(Year, Month.Value)),
        _ => new DateOnly(Year, 12, 31),
    };

    public static PartialDate OfDay(DateOnly day) => new(day.Year, day.Month, day.Day);

    public static bool TryParse(string? text, out PartialDate date)
    {
        date = default;
        // YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits in fixed places: read in place, without allocating, as a
        // recorded statement's dates are parsed several times over (checked, converted, serialised).
        if (text is not { Length: 4 or 7 or 10 } || !TryDigits(text.AsSpan(0, 4), out var year)) return false;
        int? month = null, day = null;
        if (text.Length >= 7)
        {
            if (text[4] != '-' || !TryDigits(text.AsSpan(5, 2), out var m)) return false;
            month = m;
        }
        if (text.Length == 10)
        {
            if (text[7] != '-' || !TryDigits(text.AsSpan(8, 2), out var d)) return false;
            day = d;
        }
        if (year < 1) return false;
        if (month is < 1 or > 12) return false;
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value))) return false;

        date = new PartialDate(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    public static PartialDate Parse(string text) =>
        TryParse(text, out var date) ? date : throw new FormatException($"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");

    public int CompareTo(PartialDate other)
    {
        var byFirstDay = FirstDay.CompareTo(other.FirstDay);
        return byFirstDay != 0 ? byFirstDay : Precision.CompareTo(other.Precision);
    }

    public override string ToString() => Precision switch
    {
        DatePrecision.Day => $"{Year:D4}-{Month:D2}-{Day:D2}",
        DatePrecision.Month => $"{Year:D4}-{Month:D2}",
        _ => $"{Year:D4}",
    };
}

public sealed class PartialDateJsonConverter : JsonConverter<PartialDate>
{
    public override PartialDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected a date string.");
        return PartialDate.TryParse(reader.GetString(), out var date)
            ? date
            : throw new JsonException("Expected a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");
    }

    public override void Write(Utf8JsonWriter writer, PartialDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
