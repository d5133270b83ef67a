/// A notice's text the way the checker compares it with a template's wording: white space (line
/// breaks inside a word from a PDF copy), markdown marks (`**`, `#`, `` ` ``) dropped, full-width
/// digits, `％`, `：`, `（）` folded to ASCII. Each kept character remembers where it was written, so
/// messages quote the notice as it reads.
struct FoldedText {
    private(set) var characters: [Character] = []
    private let source: String
    private var positions: [String.Index] = []

    init(_ text: String) {
        source = text
        var index = text.startIndex
        while index < text.endIndex {
            if let folded = Self.fold(text[index]) {
                characters.append(folded)
                positions.append(index)
            }
            index = text.index(after: index)
        }
    }

    var count: Int { characters.count }

    /// A template literal folded the same way, for searching.
    static func folded(_ text: String) -> [Character] {
        text.compactMap(fold)
    }

    static func fold(_ character: Character) -> Character? {
        if character.isWhitespace || "*#`".contains(character) { return nil }
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
              (0xFF01...0xFF5E).contains(scalar.value) else { return character }
        return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
    }

    /// The first position of `needle` in `start..<end`.
    func find(_ needle: [Character], from start: Int = 0, before end: Int? = nil) -> Int? {
        let limit = (end ?? count) - needle.count
        guard !needle.isEmpty, start <= limit else { return nil }
        for index in start...limit where characters[index] == needle[0] {
            if characters[index..<index + needle.count].elementsEqual(needle) { return index }
        }
        return nil
    }

    /// The first position in `start..<end` holding one of `set`, or `end`.
    func firstIndex(of set: Set<Character>, from start: Int, before end: Int) -> Int {
        (start..<max(start, end)).first { set.contains(characters[$0]) } ?? end
    }

    /// The numbers written in `range`, in order (`62.92`, `4050`, `115,363.5`).
    func numbers(in range: Range<Int>) -> [ExactDecimal] {
        var result: [ExactDecimal] = []
        var index = range.lowerBound
        while index < range.upperBound {
            guard isDigit(index, before: range.upperBound) else { index += 1; continue }
            var digits = ""
            var end = index
            while true {
                while isDigit(end, before: range.upperBound) { digits.append(characters[end]); end += 1 }
                // A thousands separator: a comma followed by exactly three digits.
                guard end < range.upperBound, characters[end] == ",", (1...3).allSatisfy({ isDigit(end + $0, before: range.upperBound) }),
                      !isDigit(end + 4, before: range.upperBound) else { break }
                end += 1
            }
            if end < range.upperBound, characters[end] == ".", isDigit(end + 1, before: range.upperBound) {
                digits.append(".")
                end += 1
                while isDigit(end, before: range.upperBound) { digits.append(characters[end]); end += 1 }
            }
            if let number = ExactDecimal(digits) { result.append(number) }
            index = end
        }
        return result
    }

    private func isDigit(_ index: Int, before end: Int) -> Bool {
        index < end && characters[index].isASCII && characters[index].isNumber
    }

    /// The text as written, its spaces kept; line breaks and markdown marks dropped.
    func original(_ range: Range<Int>) -> String {
        let kept = range.clamped(to: 0..<count)
        guard let first = kept.first, let last = kept.last else { return "" }
        let written = source[positions[first]...positions[last]]
        return String(written.filter { !$0.isNewline && !"*#`".contains($0) })
    }

    func folded(_ range: Range<Int>) -> String {
        String(characters[range.clamped(to: 0..<count)])
    }
}
