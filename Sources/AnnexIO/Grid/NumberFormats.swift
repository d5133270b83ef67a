/// Number format codes: the built-in ids no `<numFmt>` declares, and whether a code shows a date.
public enum NumberFormats {
    /// Built-in formats (ECMA-376 Part 1, 18.8.30), with the zh-CN codes Excel uses for the
    /// locale-dependent ids 27-36 and 50-58 (all dates or times).
    public static let builtIn: [Int: String] = [
        0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
        9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
        14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
        18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm",
        27: "yyyy\"年\"m\"月\"", 28: "m\"月\"d\"日\"", 29: "m\"月\"d\"日\"", 30: "m-d-yy", 31: "yyyy\"年\"m\"月\"d\"日\"",
        32: "h\"时\"mm\"分\"", 33: "h\"时\"mm\"分\"ss\"秒\"", 34: "上午/下午h\"时\"mm\"分\"", 35: "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        36: "yyyy\"年\"m\"月\"",
        37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
        45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
        50: "yyyy\"年\"m\"月\"", 51: "m\"月\"d\"日\"", 52: "yyyy\"年\"m\"月\"", 53: "m\"月\"d\"日\"", 54: "m\"月\"d\"日\"",
        55: "上午/下午h\"时\"mm\"分\"", 56: "上午/下午h\"时\"mm\"分\"ss\"秒\"", 57: "yyyy\"年\"m\"月\"", 58: "m\"月\"d\"日\"",
    ]

    public enum Kind: Equatable, Sendable {
        case general, number, percent, text
        /// A calendar date without a time of day in the format.
        case date
        /// A date and a time of day (`yyyy/m/d h:mm`).
        case dateTime
        /// A time of day only.
        case time
        /// Elapsed time: `[h]:mm:ss`, `[mm]:ss`, `[ss]` (built-in 46) count hours, minutes or seconds
        /// past 24 h / 60 min, so the value is a duration, not a time of day.
        case duration
    }

    /// Classifies a format code by the tokens outside quotes, escapes and brackets.
    /// `m` means minutes next to `h` or `s`, months otherwise.
    public static func kind(of code: String) -> Kind {
        if code.isEmpty || code.caseInsensitiveEquals("General") { return .general }
        var hasDate = false
        var hasTime = false
        var hasElapsed = false
        var hasMonthOrMinute = false
        var hasPercent = false
        var isText = false
        var inQuote = false
        var bracket: [Character] = []
        var inBracket = false
        var skipNext = false
        // Only the first section (positive numbers) decides.
        for character in code {
            if skipNext { skipNext = false; continue }
            if inQuote { if character == "\"" { inQuote = false }; continue }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    // [h], [mm], [ss]: elapsed time. Anything else ([Red], [$-804], [DBNum1]) is not a token.
                    let inner = String(bracket).lowercased()
                    if !inner.isEmpty, inner.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { hasTime = true; hasElapsed = true }
                    bracket = []
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "\\", "_", "*": skipNext = true
            case "[": inBracket = true
            case ";": break
            case "y", "Y", "d", "D": hasDate = true
            // e/g: era year and era name in CJK date codes; E in `0.00E+00` is an exponent.
            // (A `where` clause binds only to the last pattern of a list, hence the single pattern.)
            case let c where "eEgG".contains(c) && !code.contains("0") && !code.contains("#"): hasDate = true
            case "h", "H", "s", "S": hasTime = true
            case "m", "M": hasMonthOrMinute = true
            case "%": hasPercent = true
            case "@": isText = true
            default: break
            }
            if character == ";" { break }
        }
        if hasElapsed && !hasDate { return .duration }
        if hasDate && hasTime { return .dateTime }
        if hasDate || (hasMonthOrMinute && !hasTime) { return .date }
        if hasTime { return .time }
        if isText { return .text }
        if hasPercent { return .percent }
        return .number
    }

    /// Converts a date serial to ISO 8601. The 1900 system counts 1900-02-29, a day that never was
    /// (Lotus 1-2-3's leap-year bug, kept by Excel): serial 60 is that day, serials after it are one
    /// day late. Times are rounded to the millisecond, as Excel shows them.
    /// - Parameter kind: `.date` gives `YYYY-MM-DD` when the serial has no time of day, `.dateTime`
    ///   always gives both, `.time` gives `HH:MM:SS` for serials below 1.
    /// Nil when no calendar date can show the serial (negative, or past 9999-12-31): it stays a number.
    public static func isoDate(serial: Double, date1904: Bool, kind: Kind) -> String? {
        // 9999-12-31 is serial 2958465 in the 1900 system, 2957003 in the 1904 system.
        guard serial.isFinite, serial >= 0, serial < (date1904 ? 2_957_004 : 2_958_466) else { return nil }
        var days = Int(serial.rounded(.down))
        var milliseconds = Int(((serial - Double(days)) * 86_400_000).rounded())
        if milliseconds >= 86_400_000 { days += 1; milliseconds -= 86_400_000 }
        let time = formatTime(milliseconds)
        if kind == .time && days == 0 { return time }
        let date: String
        if date1904 {
            date = formatCivil(daysFromCivil(1904, 1, 1) + days)
        } else if days == 60 {
            date = "1900-02-29"
        } else {
            // Serial 1 is 1900-01-01; from serial 61 on, the fictitious 29th shifts everything by one.
            date = formatCivil(daysFromCivil(1899, 12, 31) + days - (days > 60 ? 1 : 0))
        }
        return milliseconds == 0 && kind == .date ? date : "\(date)T\(time)"
    }

    /// What a number stored under a format of `kind` shows, for every workbook reader: a date or time
    /// (ISO 8601) under a date or time format, a duration under an elapsed-time one; nil when the
    /// format shows a plain number, or when no calendar date can show the serial (it stays a number).
    public static func temporal(_ number: String, kind: Kind, date1904: Bool) -> (text: String, kind: CellKind)? {
        switch kind {
        case .general, .number, .percent, .text: nil
        default: NumberText.parse(number).flatMap { temporal(serial: $0, kind: kind, date1904: date1904) }
        }
    }

    /// `temporal` of a number already parsed (BIFF stores doubles).
    public static func temporal(serial: Double, kind: Kind, date1904: Bool) -> (text: String, kind: CellKind)? {
        switch kind {
        case .general, .number, .percent, .text: nil
        case .duration: isoDuration(serial: serial).map { ($0, .duration) }
        case .date, .dateTime, .time: isoDate(serial: serial, date1904: date1904, kind: kind).map { ($0, .date) }
        }
    }

    /// A serial under an elapsed-time format as an ISO 8601 duration, to the millisecond:
    /// 10.6320601851852 → `PT255H10M10S`, -0.5 → `-PT12H`, 0 → `PT0S`.
    public static func isoDuration(serial: Double) -> String? {
        guard serial.isFinite, abs(serial) < 1e9 else { return nil }
        let total = Int((abs(serial) * 86_400_000).rounded())
        let hours = total / 3_600_000, minutes = total / 60_000 % 60, milliseconds = total % 60_000
        var text = serial < 0 && total > 0 ? "-PT" : "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if milliseconds > 0 || total == 0 {
            text += String(milliseconds / 1000)
            if milliseconds % 1000 != 0 {
                var fraction = String(milliseconds % 1000)
                fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
            text += "S"
        }
        return text
    }

    /// ISO 8601 text of a `t="d"` cell in the canonical form of `isoDate`: `2023-07-31`,
    /// `2023-07-31T09:30:00[.fff]`, `09:30:00[.fff]` (fractions rounded to milliseconds, a `Z` or
    /// offset dropped as Excel ignores it); nil when the text is no valid date or time.
    /// `dateOnly`: midnight is shown as just the day (a date-only number format).
    public static func canonicalISO(_ text: String, dateOnly: Bool) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func take(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue! else { return false }
            index += 1
            return true
        }
        var date: String?
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
                  (1...12).contains(month), day >= 1,
                  day <= (month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28)
                                     : [4, 6, 9, 11].contains(month) ? 30 : 31) else { return nil }
            date = pad(year, width: 4) + "-" + pad(month) + "-" + pad(day)
            if index == bytes.count { return date }
            guard take("T") || take(" ") else { return nil }
        }
        guard let hour = digits(2), take(":"), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        var milliseconds = (hour * 3600 + minute * 60) * 1000
        if take(":") {
            guard let second = digits(2), second < 60 else { return nil }
            milliseconds += second * 1000
            if take(".") || take(",") {
                var fraction = 0.0, scale = 0.1, count = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    count += 1
                }
                guard count > 0 else { return nil }
                milliseconds += Int((fraction * 1000).rounded())
            }
        }
        if take("Z") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard digits(2) != nil, take(":") || true, digits(2) != nil else { return nil }
        }
        guard index == bytes.count, milliseconds < 86_400_000 else { return nil }
        let time = formatTime(milliseconds)
        guard let date else { return time }
        return dateOnly && milliseconds == 0 ? date : date + "T" + time
    }

    private static func formatTime(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        var text = pad(seconds / 3600) + ":" + pad(seconds / 60 % 60) + ":" + pad(seconds % 60)
        if milliseconds % 1000 != 0 {
            let ms = String(milliseconds % 1000)
            text += "." + String(repeating: "0", count: 3 - ms.count) + ms
        }
        return text
    }

    private static func pad(_ value: Int, width: Int = 2) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func formatCivil(_ days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        return pad(y, width: 4) + "-" + pad(m) + "-" + pad(d)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
