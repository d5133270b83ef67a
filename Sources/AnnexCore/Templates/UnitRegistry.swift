/// The reporting units of a region, once for every template that lists them: canonical names
/// with aliases and former names (红谷滩新区 is now 红谷滩区; 湾里区 became 湾里管理局).
public struct UnitRegistry: Decodable, Sendable {
    public struct Unit: Decodable, Sendable {
        public var name: String
        public var aliases: [String]?
    }

    public var id: String
    public var units: [Unit]

    public enum Resolution: Equatable, Sendable {
        case canonical(String)
        /// Matched through an alias or former name: (canonical, as written).
        case alias(String, written: String)
        case unknown(String)

        public var name: String {
            switch self {
            case .canonical(let name), .alias(let name, _), .unknown(let name): name
            }
        }
    }

    /// Resolves a name as typed (trailing spaces, full-width characters, line breaks tolerated).
    public func resolve(_ written: String) -> Resolution {
        let key = TextFolding.matchKey(written)
        for unit in units {
            if TextFolding.matchKey(unit.name) == key { return .canonical(unit.name) }
        }
        for unit in units {
            if unit.aliases?.contains(where: { TextFolding.matchKey($0) == key }) == true {
                return .alias(unit.name, written: TextFolding.removingWhitespace(written))
            }
        }
        return .unknown(TextFolding.removingWhitespace(TextFolding.foldingWidth(written)))
    }
}
