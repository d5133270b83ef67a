/// A SpreadsheetML `ss:Type="DateTime"` value (`2023-07-31T00:00:00.000`) in the text the .xlsx
/// reader gives a date: `YYYY-MM-DD` at midnight under a date-only format, `HH:MM:SS` for a time
/// of day under a time format (Excel writes those on its day zero, 1899-12-31), otherwise
/// `YYYY-MM-DDTHH:MM:SS`; `.fff` only when there are milliseconds.
enum SpreadsheetMLDateTime {
    static func iso(_ text: String, kind: NumberFormats.Kind) -> String? {
        let bytes = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        // YYYY-MM-DD, then optionally THH:MM, :SS, .fff
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is character: Character) -> Bool {
            index < bytes.count && bytes[index] == character.asciiValue!
        }
        guard let year = number(0..<4), byte(4, is: "-"), let month = number(5..<7), byte(7, is: "-"),
              let day = number(8..<10), (1...12).contains(month), day >= 1, day <= daysIn(month, year) else { return nil }
        var hour = 0, minute = 0, second = 0, millisecond = 0
        var index = 10
        if byte(index, is: "T") {
            guard let h = number(11..<13), byte(13, is: ":"), let m = number(14..<16), h < 24, m < 60 else { return nil }
            (hour, minute) = (h, m)
            index = 16
            if byte(index, is: ":") {
                guard let s = number(17..<19), s < 60 else { return nil }
                second = s
                index = 19
                if byte(index, is: ".") {
                    let digits = bytes[(index + 1)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                    guard !digits.isEmpty else { return nil }
                    let padded = Array(digits.prefix(3)) + Array(repeating: UInt8(ascii: "0"), count: max(0, 3 - digits.count))
                    millisecond = Int(String(decoding: padded, as: UTF8.self))!
                    index += 1 + digits.count
                }
            }
        }
        if byte(index, is: "Z") { index += 1 }
        guard index == bytes.count else { return nil }
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        var time = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if millisecond != 0 { time += "." + pad(millisecond, 3) }
        let midnight = hour == 0 && minute == 0 && second == 0 && millisecond == 0
        if kind == .time, year == 1899, month == 12, day == 31 { return time }
        if kind == .date, midnight { return date }
        return date + "T" + time
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
