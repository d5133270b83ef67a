/// ISO 8601 dates and times as Excel serial numbers in the 1900 date system.
///
/// Serial 1 is 1900-01-01. Excel (after Lotus 1-2-3) counts a 1900-02-29 that never was: it is serial
/// 60, so dates from 1900-03-01 on are days since 1899-12-30, and dates before it one less.
/// Times are fractions of a day.
enum XLSXDateSerial {
    enum Kind { case date, dateTime, time }

    /// The number formats used for a date value that brings none.
    static func defaultFormat(_ kind: Kind) -> String {
        switch kind {
        case .date: "yyyy-mm-dd"
        case .dateTime: "yyyy-mm-dd hh:mm:ss"
        case .time: "hh:mm:ss"
        }
    }

    /// `2023-07-31`, `2023-07-31T08:30:00[.fff]` (or a space for `T`), `08:30[:00[.fff]]`.
    /// Returns the serial as decimal text, or throws with the reason the text cannot be one.
    static func serial(_ iso: String) throws(XLSXWriteIssue) -> (text: String, kind: Kind) {
        let bytes = Array(iso.utf8)
        var scanner = Scanner(bytes: bytes)
        let invalid = XLSXWriteIssue(reason: "日期“\(iso)”不是 ISO 8601 格式（应为 2023-07-31、2023-07-31T08:30:00 或 08:30:00）")

        var days: Int? = nil
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
                  let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
                  let day = scanner.digits(2) else { throw invalid }
            guard (1...12).contains(month), day >= 1 else { throw invalid }
            if year == 1900 && month == 2 && day == 29 {
                days = 60
            } else {
                guard day <= daysIn(month: month, year: year) else { throw invalid }
                guard year >= 1900 else {
                    throw XLSXWriteIssue(reason: "日期“\(iso)”早于 1900-01-01，Excel 无法表示")
                }
                let sinceEpoch = NumberFormats.daysFromCivil(year, month, day) - NumberFormats.daysFromCivil(1899, 12, 30)
                days = sinceEpoch < 61 ? sinceEpoch - 1 : sinceEpoch
            }
            if scanner.atEnd { return (String(days!), .date) }
            guard scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: " ")) else { throw invalid }
        }

        guard let hour = scanner.digits(2), scanner.take(UInt8(ascii: ":")), let minute = scanner.digits(2),
              hour < 24, minute < 60 else { throw invalid }
        var second = 0
        var nanos = 0
        var fractionDigits = 0
        if scanner.take(UInt8(ascii: ":")) {
            guard let s = scanner.digits(2), s < 60 else { throw invalid }
            second = s
            if scanner.take(UInt8(ascii: ".")) || scanner.take(UInt8(ascii: ",")) {
                while let digit = scanner.digit() {
                    fractionDigits += 1
                    guard fractionDigits <= 9 else { throw invalid }
                    nanos = nanos * 10 + digit
                }
                guard fractionDigits > 0 else { throw invalid }
                for _ in fractionDigits..<9 { nanos *= 10 }
            }
        }
        guard scanner.atEnd else { throw invalid }

        let secondsOfDay = hour * 3600 + minute * 60 + second
        let kind: Kind = days == nil ? .time : .dateTime
        let wholeDays = days ?? 0
        if secondsOfDay == 0 && nanos == 0 { return (String(wholeDays), kind) }
        let serial: Double
        if nanos % 1_000_000 == 0 {
            // One correctly rounded division of exact integers: (days·86400000 + ms) / 86400000.
            let numerator = Double(wholeDays * 86_400_000 + secondsOfDay * 1000 + nanos / 1_000_000)
            serial = numerator / 86_400_000
        } else {
            serial = Double(wholeDays) + Double(secondsOfDay * 1_000_000_000 + nanos) / 86_400_000_000_000
        }
        return (serial.description, kind)
    }

    /// An ISO 8601 duration (`PT255H10M10S`, `-PT12H`, `P1DT2H`, `PT1.5S`) as a serial in days: one
    /// correctly rounded division of whole milliseconds, so it reads back as the same duration.
    static func durationSerial(_ iso: String) throws(XLSXWriteIssue) -> String {
        let invalid = XLSXWriteIssue(reason: "时长“\(iso)”不是 ISO 8601 格式（应为 PT255H10M10S 这样的形式）")
        var text = Substring(iso)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        guard text.hasPrefix("P") else { throw invalid }
        text = text.dropFirst()
        var milliseconds = 0
        var inTime = false
        var number = ""
        var seenAny = false
        for character in text {
            switch character {
            case "0"..."9", ".":
                number.append(character)
            case "T":
                guard !inTime, number.isEmpty else { throw invalid }
                inTime = true
            case "D", "H", "M", "S":
                guard !number.isEmpty, let value = Double(number), value < 1e9,
                      character == "D" ? !inTime : inTime,
                      character == "S" || !number.contains(".") else { throw invalid }
                let scale: Double = switch character {
                case "D": 86_400_000
                case "H": 3_600_000
                case "M": 60_000
                default: 1000
                }
                milliseconds += Int((value * scale).rounded())
                number = ""
                seenAny = true
            default:
                throw invalid
            }
        }
        guard seenAny, number.isEmpty else { throw invalid }
        let serial = Double(milliseconds) / 86_400_000
        return (negative ? -serial : serial).description
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// True for the W3CDTF forms the OPC core-properties schema accepts as xsd:gYear, gYearMonth, date
    /// or dateTime: `2023`, `2023-08`, `2023-08-28`, `2023-08-28T09:30:00[.5][Z|+08:00]`.
    static func isW3CDTF(_ text: String) -> Bool {
        var scanner = Scanner(bytes: Array(text.utf8))
        guard scanner.digits(4) != nil else { return false }
        if scanner.atEnd { return true }
        guard scanner.take(UInt8(ascii: "-")), let month = scanner.digits(2), (1...12).contains(month) else { return false }
        if scanner.atEnd { return true }
        guard scanner.take(UInt8(ascii: "-")), let day = scanner.digits(2), (1...31).contains(day) else { return false }
        if scanner.atEnd || scanner.timeZone() { return scanner.atEnd }
        guard scanner.take(UInt8(ascii: "T")),
              let hour = scanner.digits(2), hour < 24, scanner.take(UInt8(ascii: ":")),
              let minute = scanner.digits(2), minute < 60, scanner.take(UInt8(ascii: ":")),
              let second = scanner.digits(2), second < 60 else { return false }
        if scanner.take(UInt8(ascii: ".")) {
            guard scanner.digit() != nil else { return false }
            while scanner.digit() != nil {}
        }
        if scanner.atEnd { return true }
        return scanner.timeZone() && scanner.atEnd
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func digit() -> Int? {
            guard position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 else { return nil }
            position += 1
            return Int(bytes[position - 1] - 48)
        }

        /// Exactly `count` digits.
        mutating func digits(_ count: Int) -> Int? {
            let start = position
            var value = 0
            for _ in 0..<count {
                guard let d = digit() else { position = start; return nil }
                value = value * 10 + d
            }
            return value
        }

        /// `Z` or `±hh:mm`.
        mutating func timeZone() -> Bool {
            if take(UInt8(ascii: "Z")) { return true }
            guard take(UInt8(ascii: "+")) || take(UInt8(ascii: "-")) else { return false }
            guard let h = digits(2), h <= 14, take(UInt8(ascii: ":")), let m = digits(2), m < 60 else { return false }
            return true
        }
    }
}
