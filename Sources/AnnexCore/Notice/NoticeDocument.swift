/// A drafted 通报 as paragraphs, for the `.docx`, `.md` and `.txt` writers.
public struct NoticeDocument: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `一、就业与再就业` is level 1, `（一）养老保险` level 2.
        case heading(level: Int)
        /// Indented two characters.
        case body
        /// A line of the 附件 list (the first starts `附件：`).
        case attachment
    }

    /// A stretch of text, bold where the 通报 sets it bold (the labels of 存在的问题, seed 000).
    public struct Run: Equatable, Sendable {
        public var text: String
        public var bold = false
    }

    public struct Paragraph: Equatable, Sendable {
        public var kind: Kind
        public var runs: [Run]

        init(kind: Kind, text: String) {
            self.kind = kind
            runs = text.isEmpty ? [] : [Run(text: text)]
        }

        public var text: String { runs.map(\.text).joined() }
    }

    public var paragraphs: [Paragraph]
}

/// Writes the statistics sections, 存在的问题 and the 附件 list of the monthly 通报 from the annexes,
/// worded by their templates' `notice` sections (seed 000).
public enum NoticeDraft {
    public static func draft(_ readings: [TableReading], library: TemplateLibrary) throws -> NoticeDocument {
        draft(try NoticeBinding(readings: readings, library: library))
    }

    static func draft(_ binding: NoticeBinding) -> NoticeDocument {
        var paragraphs: [NoticeDocument.Paragraph] = []
        var heading: [String] = []
        var topLevelCount = 0
        for sentence in binding.sentences {
            if sentence.heading != heading {
                for level in sentence.heading.indices where heading.prefix(level + 1) != sentence.heading.prefix(level + 1) {
                    if level == 0 { topLevelCount += 1 }
                    paragraphs.append(.init(kind: .heading(level: level + 1), text: sentence.heading[level]))
                }
                heading = sentence.heading
                paragraphs.append(.init(kind: .body, text: ""))
            }
            paragraphs[paragraphs.count - 1].runs.append(.init(text: sentence.text))
        }
        paragraphs += problems(binding.problemLists, number: topLevelCount + 1)
        for (index, attachment) in binding.attachments.enumerated() {
            paragraphs.append(.init(kind: .attachment, text: (index == 0 ? "附件：" : "") + "\(index + 1).\(attachment.title)"))
        }
        return NoticeDocument(paragraphs: paragraphs)
    }

    /// `四、存在的问题`, then one numbered paragraph per group that has units behind the schedule:
    /// `（一）城镇新增就业人数：南昌县 56.24%、进贤县 51.26%，未能按照进度完成目标任务。`
    static func problems(_ lists: [NoticeBinding.ProblemList], number: Int) -> [NoticeDocument.Paragraph] {
        let listed = lists.filter { !$0.behind.isEmpty }
        guard let first = listed.first else { return [] }
        var paragraphs: [NoticeDocument.Paragraph] = [.init(kind: .heading(level: 1), text: "\(ChineseNumeral.text(number))、\(first.heading)")]
        var group: String?
        var count = 0
        for list in listed {
            var label = "\(list.wording.label)："
            if list.wording.group != group {
                group = list.wording.group
                count += 1
                label = "（\(ChineseNumeral.text(count))）" + label
                paragraphs.append(.init(kind: .body, text: ""))
            }
            let units = list.behind.map { "\($0.row.key.unit) \($0.value.formatted(places: 2))%" }.joined(separator: "、")
            paragraphs[paragraphs.count - 1].runs += [.init(text: label, bold: true), .init(text: "\(units)，\(list.wording.ending)。")]
        }
        return paragraphs
    }
}

extension NoticeDraft {
    /// The printed names of the library's layouts with a `notice` block that none of the readings has:
    /// their sentences and lists are neither drafted nor checked, which the commands say.
    public static func layoutsLeftOut(_ readings: [TableReading], library: TemplateLibrary) -> [String] {
        let given = Set(readings.map(\.template.id))
        return library.templates.filter { $0.notice != nil && !given.contains($0.id) }
            .sorted { $0.notice!.attachment.order < $1.notice!.attachment.order }.map(\.name)
    }
}

/// 一 … 九十九, for numbering headings (一、) and list items (（一）).
enum ChineseNumeral {
    static func text(_ number: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard number >= 10 else { return digits[number] }
        return (number >= 20 ? digits[number / 10] : "") + "十" + digits[number % 10]
    }
}
